import Foundation

/// A `furuta sysid fit --report DIR` folder: for each recording, the recorded arm and pendulum
/// angles against the nominal robot.yaml's and the tuned description's replays
/// (`fit-<recording>.csv`, written beside the report's SVGs), with the loss before and after.
public enum SystemIdentificationFigure {
    /// One recording's replay table and its name.
    public struct Recording: Sendable {
        public var name: String
        public var table: CSVTable
        public init(name: String, table: CSVTable) { self.name = name; self.table = table }
    }

    public static func make(recordings: [Recording], lossBefore: Double?, lossAfter: Double?, source: String) throws(PlotError) -> Figure {
        guard !recordings.isEmpty else { throw .noData(source + "/fit-*.csv") }
        var panels: [Panel] = []
        for recording in recordings {
            let name = recording.name
            let t = try recording.table.require("time_s", in: name)
            guard !t.isEmpty else { throw .noData(name) }
            for (joint, label) in [("arm", "arm θ"), ("pendulum", "pendulum α")] {
                panels.append(Panel(title: "\(name): \(label), recorded vs replayed", xLabel: "time (s)", yLabel: "\(label) (rad)", marks: [
                    .line(name: "recorded", color: Color("#000000"), x: t, y: try recording.table.require("recorded_\(joint)_rad", in: name), width: 2),
                    .line(name: "nominal robot.yaml", color: .red, x: t, y: try recording.table.require("nominal_\(joint)_rad", in: name)),
                    .line(name: "tuned", color: .blue, x: t, y: try recording.table.require("tuned_\(joint)_rad", in: name), dashed: true),
                ], xDomain: t.first!...max(t.last!, t.first! + 1e-3)))
            }
        }
        var subtitle = "\(source) — \(recordings.count) recording\(recordings.count == 1 ? "" : "s") (replays restart from the recorded state every segment)"
        if let lossBefore, let lossAfter {
            subtitle += String(format: ", loss %.4g → %.4g rad² (nominal → tuned)", lossBefore, lossAfter)
        }
        return Figure(title: "System identification: recorded vs simulated angles", subtitle: subtitle, panels: panels)
    }
}
