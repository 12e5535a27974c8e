import Foundation

/// The learning curve of one run folder, or of several (seeds) with their mean and spread:
/// mean episode return and evaluation success over environment steps.
public enum LearningCurveFigure {
    public struct Run: Sendable {
        public var name: String
        public var metrics: CSVTable
        public var summary: String?
        /// The success rate that counts as a success (config.yaml), drawn as a line.
        public var successGoal: Double?
        public init(name: String, metrics: CSVTable, summary: String? = nil, successGoal: Double? = nil) {
            self.name = name
            self.metrics = metrics
            self.summary = summary
            self.successGoal = successGoal
        }
    }

    public static func make(runs: [Run], title: String) throws(PlotError) -> Figure {
        guard let first = runs.first else { throw .noData(title) }
        var returns = Panel(title: "Mean return of the episodes that ended in each rollout",
                            xLabel: "environment steps (millions)", yLabel: "episode return")
        var success = Panel(title: "Evaluation: share of randomised episodes that swung up and held",
                            xLabel: "environment steps (millions)", yLabel: "success (%)", yDomain: -4...104)
        var series: [(x: [Double], ret: [Double], sx: [Double], sy: [Double])] = []
        for run in runs {
            let m = run.metrics
            let steps = try m.require("env_steps", in: run.name).map { $0 / 1e6 }
            let ret = try m.require("mean_episode_return", in: run.name)
            let rate = try m.require("eval_success_rate", in: run.name)
            let evaluated = rate.indices.filter { rate[$0].isFinite }
            // Most rollouts of 10 s episodes end none (an empty cell): the curve joins the
            // rollouts that did, rather than drawing only the rare neighbouring pairs.
            let ended = ret.indices.filter { ret[$0].isFinite }
            series.append((ended.map { steps[$0] }, ended.map { ret[$0] },
                           evaluated.map { steps[$0] }, evaluated.map { rate[$0] * 100 }))
        }
        guard series.contains(where: { !$0.x.isEmpty || !$0.sx.isEmpty }) else { throw .noData(title) }
        if runs.count == 1 {
            let s = series[0]
            returns.marks = [.line(name: nil, color: .blue, x: s.x, y: s.ret, width: 2),
                             .points(name: "mean episode return", color: .blue, x: s.x, y: s.ret)]
            success.marks = [.line(name: nil, color: .green, x: s.sx, y: s.sy),
                             .points(name: "evaluation success", color: .green, x: s.sx, y: s.sy)]
        } else {
            for (i, s) in series.enumerated() {
                let color = Color.cycle[i % Color.cycle.count]
                returns.marks.append(.line(name: runs[i].name, color: color, x: s.x, y: s.ret, width: 1))
                success.marks.append(.line(name: runs[i].name, color: color, x: s.sx, y: s.sy, width: 1))
            }
            let end = series.map { max($0.x.last ?? 0, $0.sx.last ?? 0) }.max() ?? 1
            let grid = (0...100).map { Double($0) / 100 * end }
            for (panel, pick) in [(0, { (s: (x: [Double], ret: [Double], sx: [Double], sy: [Double])) in (s.x, s.ret) }),
                                  (1, { s in (s.sx, s.sy) })] {
                let spread = SeedSpread(grid: grid, runs: series.map(pick))
                let marks: [Panel.Mark] = [
                    .band(name: "min–max over \(runs.count) seeds", color: .gray, x: grid, lower: spread.minimum, upper: spread.maximum),
                    .line(name: "mean over seeds", color: .red, x: grid, y: spread.mean, width: 2.5)]
                if panel == 0 { returns.marks.insert(contentsOf: marks, at: 0) } else { success.marks.insert(contentsOf: marks, at: 0) }
            }
        }
        if let goal = first.successGoal {
            success.marks.insert(.level(y: goal * 100, label: String(format: "goal %.0f %%", goal * 100), color: .gray), at: 0)
        }
        let subtitle = runs.count == 1 ? (first.summary ?? first.name) : "\(runs.count) runs: " + runs.map(\.name).joined(separator: ", ")
        return Figure(title: title, subtitle: subtitle, panels: [returns, success])
    }
}

/// Several runs' curves on one grid (linear interpolation, no extrapolation), and their
/// pointwise minimum, mean and maximum over the runs that cover each grid point.
struct SeedSpread {
    var minimum: [Double] = [], mean: [Double] = [], maximum: [Double] = []

    init(grid: [Double], runs: [(x: [Double], y: [Double])]) {
        for g in grid {
            let values = runs.compactMap { Self.interpolate($0.x, $0.y, at: g) }
            minimum.append(values.min() ?? .nan)
            maximum.append(values.max() ?? .nan)
            mean.append(values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count))
        }
    }

    static func interpolate(_ x: [Double], _ y: [Double], at g: Double) -> Double? {
        let points = zip(x, y).filter { $0.0.isFinite && $0.1.isFinite }
        guard let firstX = points.first?.0, let lastX = points.last?.0, g >= firstX, g <= lastX else { return nil }
        guard let k = points.firstIndex(where: { $0.0 >= g }) else { return nil }
        if k == 0 || points[k].0 == g { return points[k].1 }
        let (xa, ya) = points[k - 1], (xb, yb) = points[k]
        return ya + (yb - ya) * (g - xa) / (xb - xa)
    }
}
