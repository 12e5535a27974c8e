import Foundation

/// Writes a `Figure` as a standalone SVG document (text in DejaVu Sans, which Debian's
/// fonts-dejavu-core provides to rsvg-convert and browsers alike).
struct SVGRenderer {
    let figure: Figure
    private var out = ""

    init(figure: Figure) { self.figure = figure }

    func render() -> String {
        var r = self
        r.document()
        return r.out
    }

    private mutating func document() {
        let w = figure.width, h = figure.height
        out += """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(w))" height="\(n(h))" viewBox="0 0 \(n(w)) \(n(h))" \
            font-family="DejaVu Sans, Verdana, sans-serif" font-size="13">
            <rect width="100%" height="100%" fill="white"/>

            """
        text(x: Figure.left, y: 30, figure.title, size: 20, weight: "bold")
        if !figure.subtitle.isEmpty {
            // Two lines when long: split at the last " (" or ", " before 120 characters.
            let s = figure.subtitle
            if s.count > 120, let cut = [" (", ", "].compactMap({ s.prefix(120).range(of: $0, options: .backwards) }).max(by: { $0.lowerBound < $1.lowerBound }) {
                text(x: Figure.left, y: 50, String(s[..<cut.lowerBound]), size: 13, color: "#444")
                text(x: Figure.left, y: 66, String(s[cut.lowerBound...]).trimmingCharacters(in: CharacterSet(charactersIn: ", ")), size: 13, color: "#444")
            } else {
                text(x: Figure.left, y: 54, s, size: 13, color: "#444")
            }
        }
        for (i, panel) in figure.panels.enumerated() {
            self.panel(panel, top: Figure.heading + Double(i) * figure.panelHeight)
        }
        out += "</svg>\n"
    }

    private mutating func panel(_ panel: Panel, top: Double) {
        let x0 = Figure.left, x1 = figure.width - Figure.right
        let y0 = top + Figure.top, y1 = top + figure.panelHeight - Figure.bottom
        let xs = LinearScale(domain: panel.fittedXDomain, range: x0...x1)
        let ys = LinearScale(domain: panel.fittedYDomain, range: y0...y1, reversed: true)
        text(x: x0, y: top + 20, panel.title, size: 15, weight: "bold")

        // Grid and tick labels.
        for t in xs.ticks() {
            line(xs(t), y0, xs(t), y1, color: "#e4e4e4")
            text(x: xs(t), y: y1 + 18, xs.label(t), anchor: "middle")
        }
        for t in ys.ticks(count: 5) {
            line(x0, ys(t), x1, ys(t), color: "#e4e4e4")
            text(x: x0 - 8, y: ys(t) + 4, ys.label(t, count: 5), anchor: "end")
        }
        out += "<rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(x1 - x0))\" height=\"\(n(y1 - y0))\" fill=\"none\" stroke=\"#333\"/>\n"
        text(x: (x0 + x1) / 2, y: y1 + 42, panel.xLabel, size: 14, anchor: "middle")
        out += "<text x=\"0\" y=\"0\" font-size=\"14\" text-anchor=\"middle\" transform=\"translate(\(n(x0 - 60)) \(n((y0 + y1) / 2))) rotate(-90)\">\(escape(panel.yLabel))</text>\n"

        // Marks, clipped to the plot area.
        let clip = "clip\(Int(top))"
        out += "<clipPath id=\"\(clip)\"><rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(x1 - x0))\" height=\"\(n(y1 - y0))\"/></clipPath>\n"
        out += "<g clip-path=\"url(#\(clip))\">\n"
        var legend: [(String, Color, String)] = []
        var eventCount = 0
        for mark in panel.marks {
            switch mark {
            case .span(let name, let a, let b, let color):
                out += "<rect x=\"\(n(xs(a)))\" y=\"\(n(y0))\" width=\"\(n(max(1, xs(b) - xs(a))))\" height=\"\(n(y1 - y0))\" fill=\"\(color.hex)\" fill-opacity=\"0.18\"/>\n"
                if let name { legend.append((name, color, "box")) }
            case .band(let name, let color, let x, let lower, let upper):
                for run in finiteRuns(x, lower, upper) {
                    let pts = run.map { "\(n(xs(x[$0]))),\(n(ys(upper[$0])))" } + run.reversed().map { "\(n(xs(x[$0]))),\(n(ys(lower[$0])))" }
                    out += "<polygon points=\"\(pts.joined(separator: " "))\" fill=\"\(color.hex)\" fill-opacity=\"0.22\" stroke=\"none\"/>\n"
                }
                if let name { legend.append((name, color, "box")) }
            case .bars(let name, let color, let edges, let counts):
                for (i, c) in counts.enumerated() where c > 0 {
                    let left = xs(edges[i]), right = xs(edges[i + 1])
                    out += "<rect x=\"\(n(left))\" y=\"\(n(ys(c)))\" width=\"\(n(max(0.5, right - left - 0.5)))\" height=\"\(n(ys(0) - ys(c)))\" fill=\"\(color.hex)\"/>\n"
                }
                if let name { legend.append((name, color, "box")) }
            case .line(let name, let color, let x, let y, let width, let dashed):
                for run in finiteRuns(x, y) {
                    let pts = Decimation.minMax(run, y: y, buckets: 2000).map { "\(n(xs(x[$0]))),\(n(ys(y[$0])))" }
                    out += "<polyline points=\"\(pts.joined(separator: " "))\" fill=\"none\" stroke=\"\(color.hex)\" stroke-width=\"\(n(width))\" stroke-linejoin=\"round\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>\n"
                }
                if let name { legend.append((name, color, dashed ? "dash" : "line")) }
            case .points(let name, let color, let x, let y):
                for i in x.indices where x[i].isFinite && y[i].isFinite {
                    out += "<circle cx=\"\(n(xs(x[i])))\" cy=\"\(n(ys(y[i])))\" r=\"3.5\" fill=\"\(color.hex)\"/>\n"
                }
                if let name { legend.append((name, color, "dot")) }
            case .level(let y, let label, let color):
                out += "<line x1=\"\(n(x0))\" y1=\"\(n(ys(y)))\" x2=\"\(n(x1))\" y2=\"\(n(ys(y)))\" stroke=\"\(color.hex)\" stroke-dasharray=\"3 3\"/>\n"
                text(x: x0 + 4, y: ys(y) - 4, label, size: 11, color: color.hex)
            case .event(let x, let label, let color):
                out += "<line x1=\"\(n(xs(x)))\" y1=\"\(n(y0))\" x2=\"\(n(xs(x)))\" y2=\"\(n(y1))\" stroke=\"\(color.hex)\" stroke-width=\"1.5\"/>\n"
                // Staggered, so labels of nearby events do not print over each other.
                text(x: xs(x) + 3, y: y0 + 13 + Double(eventCount % 4) * 13, label, size: 11, color: color.hex)
                eventCount += 1
            }
        }
        out += "</g>\n"

        // Legend to the right of the plot area.
        for (i, entry) in legend.enumerated() {
            let ly = y0 + 10 + Double(i) * 20, lx = x1 + 16
            switch entry.2 {
            case "box": out += "<rect x=\"\(n(lx))\" y=\"\(n(ly - 7))\" width=\"22\" height=\"12\" fill=\"\(entry.1.hex)\" fill-opacity=\"0.5\"/>\n"
            case "dot": out += "<circle cx=\"\(n(lx + 11))\" cy=\"\(n(ly - 1))\" r=\"3.5\" fill=\"\(entry.1.hex)\"/>\n"
            default:
                out += "<line x1=\"\(n(lx))\" y1=\"\(n(ly - 1))\" x2=\"\(n(lx + 22))\" y2=\"\(n(ly - 1))\" stroke=\"\(entry.1.hex)\" stroke-width=\"2.5\"\(entry.2 == "dash" ? " stroke-dasharray=\"6 4\"" : "")/>\n"
            }
            text(x: lx + 28, y: ly + 3, entry.0, size: 12)
        }
    }

    /// Index runs where every array is finite (a NaN breaks a line).
    private func finiteRuns(_ arrays: [Double]...) -> [[Int]] {
        var runs: [[Int]] = [], current: [Int] = []
        let count = arrays.map(\.count).min() ?? 0
        for i in 0..<count {
            if arrays.allSatisfy({ $0[i].isFinite }) { current.append(i) } else if !current.isEmpty { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private mutating func line(_ xa: Double, _ ya: Double, _ xb: Double, _ yb: Double, color: String) {
        out += "<line x1=\"\(n(xa))\" y1=\"\(n(ya))\" x2=\"\(n(xb))\" y2=\"\(n(yb))\" stroke=\"\(color)\"/>\n"
    }

    private mutating func text(x: Double, y: Double, _ s: String, size: Double = 13, weight: String = "normal",
                               anchor: String = "start", color: String = "#222") {
        out += "<text x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" font-weight=\"\(weight)\" text-anchor=\"\(anchor)\" fill=\"\(color)\">\(escape(s))</text>\n"
    }

    private func n(_ v: Double) -> String { String(format: "%.1f", v) }

    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
