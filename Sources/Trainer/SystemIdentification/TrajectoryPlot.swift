import Foundation

/// A self-contained SVG of recorded vs simulated angles: one panel for the arm θ, one for the
/// pendulum α, against time; the recording in black, each simulation in its own colour.
/// Long recordings are thinned to at most 1500 points per line.
public enum TrajectoryPlot {
    public struct Line: Sendable {
        public var label: String
        public var colour: String
        public var arm: [Double]
        public var pendulum: [Double]
        public init(label: String, colour: String, arm: [Double], pendulum: [Double]) {
            self.label = label
            self.colour = colour
            self.arm = arm
            self.pendulum = pendulum
        }
    }

    public static func svg(title: String, times: [Double], recorded: Line, simulated: [Line]) -> String {
        let width = 1000.0, panelHeight = 260.0, left = 70.0, right = 20.0, top = 40.0, gap = 50.0
        let stride = max(1, times.count / 1500)
        let indices = Array(Swift.stride(from: 0, to: times.count, by: stride))
        let tMax = max(times.last ?? 1, 1e-3)
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(top + 2 * panelHeight + gap + 50))" font-family="sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="20" font-size="14">\(escape(title))</text>

            """
        for (panel, name) in ["arm θ (rad)", "pendulum α (rad)"].enumerated() {
            let y0 = top + Double(panel) * (panelHeight + gap)
            let series = ([recorded] + simulated).map { panel == 0 ? $0.arm : $0.pendulum }
            let finite = series.flatMap { $0.filter(\.isFinite) }
            var lo = finite.min() ?? -1, hi = finite.max() ?? 1
            if hi - lo < 1e-6 { lo -= 0.5; hi += 0.5 }
            let pad = 0.05 * (hi - lo); lo -= pad; hi += pad
            func x(_ t: Double) -> Double { left + (width - left - right) * t / tMax }
            func y(_ v: Double) -> Double { y0 + panelHeight * (1 - (v - lo) / (hi - lo)) }
            out += "<rect x=\"\(left)\" y=\"\(y0)\" width=\"\(width - left - right)\" height=\"\(panelHeight)\" fill=\"none\" stroke=\"#999\"/>\n"
            out += "<text x=\"5\" y=\"\(y0 + 15)\">\(escape(name))</text>\n"
            for k in 0...4 {
                let v = lo + Double(k) / 4 * (hi - lo)
                out += "<text x=\"\(left - 5)\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.2f", v))</text>\n"
                let t = Double(k) / 4 * tMax
                out += "<text x=\"\(f(x(t)))\" y=\"\(y0 + panelHeight + 15)\" text-anchor=\"middle\">\(String(format: "%.1f s", t))</text>\n"
            }
            for (index, line) in ([recorded] + simulated).enumerated() {
                let values = series[index]
                var path = ""
                var pen = false
                for i in indices where i < values.count {
                    guard values[i].isFinite else { pen = false; continue }
                    path += (pen ? "L" : "M") + "\(f(x(times[i]))),\(f(y(values[i])))"
                    pen = true
                }
                let widthAttribute = index == 0 ? "1.6" : "1.1"
                out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"\(widthAttribute)\"/>\n"
            }
        }
        var legendX = left
        let legendY = top + 2 * panelHeight + gap + 35
        for line in [recorded] + simulated {
            out += "<line x1=\"\(legendX)\" y1=\"\(legendY - 4)\" x2=\"\(legendX + 25)\" y2=\"\(legendY - 4)\" stroke=\"\(line.colour)\" stroke-width=\"2\"/>"
            out += "<text x=\"\(legendX + 30)\" y=\"\(legendY)\">\(escape(line.label))</text>\n"
            legendX += 60 + Double(line.label.count) * 6.5
        }
        return out + "</svg>\n"
    }

    /// The plotted numbers as CSV: `time_s` and one column per series (NaN where a replay has
    /// no value), for `furuta plot` of the report folder.
    public static func csv(times: [Double], columns: [(name: String, values: [Double])]) -> String {
        var out = (["time_s"] + columns.map(\.name)).joined(separator: ",") + "\n"
        for (i, t) in times.enumerated() {
            out += String(format: "%.4f", t)
            for column in columns { out += "," + (i < column.values.count ? String(format: "%.6g", column.values[i]) : "nan") }
            out += "\n"
        }
        return out
    }

    private static func f(_ v: Double) -> String { String(format: "%.1f", v) }
    private static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
