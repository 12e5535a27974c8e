import Foundation
import RobotDescription
import MotorModel

/// The fit's report directory: `report.json` (machine-readable), `report.md` (for people) and
/// one `fit-<recording>.svg` per recording (recorded vs nominal vs tuned angles).
public enum FitReport {
    public struct Parameter: Codable, Sendable {
        public var key: String
        public var nominal: Double
        public var fitted: Double
        public var uncertainty: Double?
        public var lowerBound: Double
        public var upperBound: Double
        public var identifiable: Bool
        public var reason: String?
        /// What each part of the recordings that pins the parameter by itself says about it.
        public var partEstimates: [PartEstimate]
    }

    public struct PartEstimate: Codable, Sendable {
        public var part: String
        public var value: Double
        public var uncertainty: Double
    }

    public struct Summary: Codable, Sendable {
        public var lossBefore: Double
        public var lossAfter: Double
        public var generations: Int
        public var refinementIterations: Int
        public var evaluations: Int
        public var fitSeconds: Double
        public var threads: Int
        public var stopReason: String
        public var recordings: [String]
        public var recordingSeconds: Double
        public var residualRmsRad: Double
        public var parameters: [Parameter]
    }

    public static func summary(_ outcome: SystemIdentification.FitOutcome, recordingPaths: [String]) -> Summary {
        let parameters = zip(outcome.space.entries, outcome.identifiability.entries).map { entry, result in
            Parameter(key: entry.parameter.key, nominal: entry.nominal, fitted: result.value,
                      uncertainty: result.uncertainty.isFinite ? result.uncertainty : nil,
                      lowerBound: entry.bounds.lowerBound, upperBound: entry.bounds.upperBound,
                      identifiable: result.identifiable, reason: result.reason,
                      partEstimates: result.partEstimates.map { PartEstimate(part: $0.part, value: $0.value, uncertainty: $0.uncertainty) })
        }
        return Summary(lossBefore: outcome.fit.nominalLoss, lossAfter: outcome.fit.loss, generations: outcome.fit.generations,
                       refinementIterations: outcome.fit.refinementIterations,
                       evaluations: outcome.fit.evaluations, fitSeconds: outcome.fit.seconds, threads: outcome.pool.threads,
                       stopReason: outcome.fit.stopReason, recordings: recordingPaths, recordingSeconds: outcome.recordingSeconds,
                       residualRmsRad: outcome.identifiability.residualRMS, parameters: parameters)
    }

    public static func write(_ outcome: SystemIdentification.FitOutcome, recordingPaths: [String], nominal: RobotParameters,
                             to directory: String) throws(SystemIdentificationError) {
        let summary = summary(outcome, recordingPaths: recordingPaths)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try JSONOutput.encode(summary).write(to: URL(fileURLWithPath: directory + "/report.json"))
            var plots: [String] = []
            for (index, path) in recordingPaths.enumerated() {
                let data = outcome.pool.data[index]
                let before = outcome.pool.simulate(index, robot: nominal)
                let after = outcome.pool.simulate(index, robot: outcome.fit.robot)
                let name = "fit-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".svg"
                let svg = TrajectoryPlot.svg(
                    title: "\(path): recorded vs simulated (restarted from the recording every segment)",
                    times: data.times,
                    recorded: .init(label: "recorded", colour: "black", arm: data.armAngles, pendulum: data.pendulumAngles),
                    simulated: [.init(label: "nominal robot.yaml", colour: "#d62728", arm: before.arm, pendulum: before.pendulum),
                                .init(label: "tuned", colour: "#1f77b4", arm: after.arm, pendulum: after.pendulum)])
                try svg.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
                // The same numbers for `furuta plot DIR` (PNG or SVG, docs/watching.md).
                try TrajectoryPlot.csv(times: data.times, columns: [
                    ("recorded_arm_rad", data.armAngles), ("recorded_pendulum_rad", data.pendulumAngles),
                    ("nominal_arm_rad", before.arm), ("nominal_pendulum_rad", before.pendulum),
                    ("tuned_arm_rad", after.arm), ("tuned_pendulum_rad", after.pendulum),
                ]).write(toFile: directory + "/" + name.dropLast(4) + ".csv", atomically: true, encoding: .utf8)
                plots.append(name)
            }
            try markdown(summary, plots: plots).write(toFile: directory + "/report.md", atomically: true, encoding: .utf8)
        } catch let error as SystemIdentificationError {
            throw error
        } catch {
            throw .cannotWrite(path: directory, reason: "\(error)")
        }
    }

    static func markdown(_ s: Summary, plots: [String]) -> String {
        let f = TunedDescription.format
        var text = """
            # System identification report

            Recordings: \(s.recordings.joined(separator: ", ")) (\(String(format: "%.1f", s.recordingSeconds)) s of robot time).
            Loss (mean squared angle error plus weighted velocity error, rad²): \(f(s.lossBefore)) with the nominal description, \
            \(f(s.lossAfter)) tuned; residual RMS \(f(s.residualRmsRad)) rad.
            Search: \(s.generations) CMA-ES generations, \(s.refinementIterations) Levenberg–Marquardt iterations, \(s.evaluations) replays in \(String(format: "%.1f", s.fitSeconds)) s on \(s.threads) threads; stopped: \(s.stopReason).

            | parameter | nominal | fitted | ± | change | identifiable |
            | --- | --- | --- | --- | --- | --- |

            """
        for p in s.parameters {
            let change = p.nominal != 0 ? String(format: "%+.1f %%", 100 * (p.fitted / p.nominal - 1)) : "—"
            text += "| \(p.key) | \(f(p.nominal)) | \(f(p.fitted)) | \(p.uncertainty.map(f) ?? "∞") | \(change) | \(p.identifiable ? "yes" : "no") |\n"
        }
        let unidentified = s.parameters.filter { !$0.identifiable }
        if !unidentified.isEmpty {
            text += "\nNot identifiable from these recordings (the tuned file still carries the fitted value, marked):\n\n"
            for p in unidentified { text += "- \(p.key): \(p.reason ?? "")\n" }
        }
        text += "\nUncertainties: the largest of Gauss–Newton at the optimum, the search's remaining spread and how far one part of "
            + "the recordings alone would move the value; identifiable also needs two parts that pin it by themselves (docs/sysid.md).\n"
        text += "\nWhat each part of the recordings says by itself:\n\n"
        for p in s.parameters where !p.partEstimates.isEmpty {
            text += "- \(p.key): " + p.partEstimates.map { "\($0.part) \(f($0.value)) ± \(f($0.uncertainty))" }.joined(separator: "; ") + "\n"
        }
        for plot in plots { text += "\n![\(plot)](\(plot))\n" }
        return text
    }
}
