import Foundation

/// A `furuta-controller run --log` file: angles and duty over time with the loop's phases,
/// limits and safety events marked, and a histogram of wake-up latency (the loop's jitter).
public enum DeploymentFigure {
    /// A safety event from the run's `--summary` JSON.
    public struct SafetyEvent: Sendable {
        public var kind: String
        public var timeS: Double
        public var isFault: Bool
        public init(kind: String, timeS: Double, isFault: Bool) { self.kind = kind; self.timeS = timeS; self.isFault = isFault }
    }

    public static func make(log: CSVTable, source: String, events: [SafetyEvent] = []) throws(PlotError) -> Figure {
        let t = try log.require("time_s", in: source)
        guard !t.isEmpty else { throw .noData(source) }
        // Periods without a state sample from the device carry no angles (the log writes 0).
        let sampled = log.has("has_sample") ? log.numbers("has_sample").map { $0 != 0 } : Array(repeating: true, count: t.count)
        let missed = sampled.filter { !$0 }.count
        let arm = zip(try log.require("arm_angle_rad", in: source), sampled).map { $1 ? $0 : .nan }
        let pendulum = Angles.wrappedForDrawing(zip(try log.require("pendulum_angle_rad", in: source), sampled).map { $1 ? $0 : .nan })
        let commanded = try log.require("duty_commanded", in: source)
        let applied = try log.require("duty_applied", in: source)
        let latency = try log.require("wake_latency_us", in: source)
        let flags = log.numbers("safety_flags"), skipped = log.numbers("skipped_periods")
        let phases = log.texts("phase")

        var context: [Panel.Mark] = []
        for (phase, color) in [("homing", Color.gray), ("safe_stop", Color.red)] {
            for (a, b) in intervals(t, where: { phases.indices.contains($0) && phases[$0] == phase }) {
                context.append(.span(name: nil, from: a, to: b, color: color))
            }
        }
        let limited = intervals(t, where: { flags.indices.contains($0) && flags[$0] > 0 })
        for (a, b) in limited { context.append(.span(name: nil, from: a, to: b, color: .orange)) }
        var markers: [Panel.Mark] = []
        for e in events.prefix(12) where e.timeS.isFinite {
            markers.append(.event(x: e.timeS, label: e.kind.replacingOccurrences(of: "_", with: " "), color: e.isFault ? .red : .purple))
        }
        let overruns = t.indices.filter { skipped.indices.contains($0) && skipped[$0] > 0 }
        if events.isEmpty { for i in overruns.prefix(12) { markers.append(.event(x: t[i], label: "overrun", color: .purple)) } }
        // Name the shaded kinds once in the legend.
        var legend: [Panel.Mark] = []
        if phases.contains("homing") { legend.append(.span(name: "homing", from: .nan, to: .nan, color: .gray)) }
        if phases.contains("safe_stop") { legend.append(.span(name: "safe stop", from: .nan, to: .nan, color: .red)) }
        if !limited.isEmpty { legend.append(.span(name: "safety limit active", from: .nan, to: .nan, color: .orange)) }

        let angles = Panel(title: "Angles (α = 0 hanging, π upright)", xLabel: "time since start (s)", yLabel: "angle (rad)",
                           marks: context + legend + [
                               .level(y: Double.pi, label: "upright (π)", color: .gray),
                               .line(name: "pendulum α mod 2π", color: .blue, x: t, y: pendulum, width: 1.8),
                               .line(name: "arm θ", color: .orange, x: t, y: arm, width: 1.8)] + markers,
                           xDomain: t.first!...t.last!)
        let duty = Panel(title: "Motor duty", xLabel: "time since start (s)", yLabel: "duty (−1…1)",
                         marks: context + [.line(name: "commanded", color: .green, x: t, y: commanded, width: 1.5),
                                           .line(name: "applied", color: .red, x: t, y: applied, width: 1.2, dashed: true)] + markers,
                         xDomain: t.first!...t.last!, yDomain: -1.05...1.05)
        let finite = latency.filter(\.isFinite).sorted()
        // Bins up to 3 × p99, so a few late wake-ups do not squeeze the rest into one bar; the
        // ones beyond are counted in the title.
        let cut = finite.isEmpty ? 0 : 3 * max(1, finite[min(finite.count - 1, Int(Double(finite.count) * 0.99))])
        let shown = finite.filter { $0 <= cut }
        let beyond = finite.count - shown.count
        let histogram = Histogram(values: shown, bins: 60)
        let tail = beyond == 0 ? "" : String(format: "; %d beyond %.0f µs (max %.0f µs) not drawn", beyond, cut, finite.last!)
        var timing = Panel(title: "Loop timing: wake-up latency (actual − scheduled) over \(finite.count) periods" + tail,
                           xLabel: "wake-up latency (µs)", yLabel: "periods",
                           marks: [.bars(name: "periods", color: .sky, edges: histogram.edges, counts: histogram.counts)])
        if !finite.isEmpty {
            let p50 = finite[finite.count / 2], p99 = finite[min(finite.count - 1, Int(Double(finite.count) * 0.99))]
            timing.marks += [.event(x: p50, label: String(format: "p50 %.0f µs", p50), color: .green),
                             .event(x: p99, label: String(format: "p99 %.0f µs", p99), color: .red)]
        }
        let seconds = (t.last ?? 0) - (t.first ?? 0)
        let faults = events.filter(\.isFault).map(\.kind)
        let subtitle = "\(source) — \(String(format: "%.1f", seconds)) s, \(t.count) periods, "
            + "\(overruns.count) overrun\(overruns.count == 1 ? "" : "s"), \(missed) without a state sample"
            + (faults.isEmpty ? "" : ", fault: " + faults.joined(separator: ", "))
        return Figure(title: "Deployment log", subtitle: subtitle, panels: [angles, duty, timing])
    }

    /// Time intervals over which `condition(row)` holds, from the row's time to the next row's.
    static func intervals(_ t: [Double], where condition: (Int) -> Bool) -> [(Double, Double)] {
        var result: [(Double, Double)] = []
        var start: Double?
        for i in t.indices {
            if condition(i) { if start == nil { start = t[i] } } else if let s = start { result.append((s, t[i])); start = nil }
        }
        if let s = start, let last = t.last { result.append((s, last)) }
        return result
    }
}

/// Equal-width bins over the values' range.
struct Histogram {
    var edges: [Double] = [], counts: [Double] = []
    init(values: [Double], bins: Int) {
        guard let lo = values.min(), let hi = values.max() else { return }
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        edges = (0...bins).map { lo + Double($0) * width }
        counts = Array(repeating: 0, count: bins)
        for v in values { counts[min(bins - 1, Int((v - lo) / width))] += 1 }
    }
}
