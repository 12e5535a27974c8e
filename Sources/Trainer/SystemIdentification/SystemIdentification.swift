import Foundation
import MotorModel
import RobotDescription
import RobotRecording

/// `furuta sysid fit` and `validate` as library calls: load and check the recordings, fit,
/// analyse identifiability, write the tuned description; or score a description on recordings.
public enum SystemIdentification {
    public struct FitRequest: Sendable {
        public var description: RobotDescription
        public var recordingPaths: [String]
        public var parameterItems: [String] = FittableParameters.defaultKeys
        public var options = ParameterFit.Options()
        public var threads = ProcessInfo.processInfo.activeProcessorCount
        public var segmentSeconds = 2.0
        /// Each recording is cut into this many parts for the cross-check (`PartConsistency`).
        public var partsPerRecording = 2
        public init(description: RobotDescription, recordingPaths: [String]) {
            self.description = description
            self.recordingPaths = recordingPaths
        }
    }

    public struct FitOutcome: Sendable {
        public var space: ParameterSpace
        public var fit: ParameterFit.Result
        public var identifiability: Identifiability
        public var tunedText: String
        public var recordings: [RobotRecording]
        public var pool: ReplayPool
        public var recordingSeconds: Double
    }

    public static func fit(_ request: FitRequest, progress: (ParameterFit.Progress) -> Void = { _ in }) throws(SystemIdentificationError) -> FitOutcome {
        let space = try ParameterSpace(items: request.parameterItems, description: request.description)
        let recordings = try RecordingCheck.load(request.recordingPaths, for: request.description)
        let data = zip(recordings, request.recordingPaths).map { ReplayData(recording: $0, file: $1, segmentSeconds: request.segmentSeconds) }
        let pool = try ReplayPool(mjcfPath: request.description.mjcfPath, robot: request.description.parameters, data: data,
                                  threads: request.threads)
        let start = Date()
        var options = request.options
        options.analysisReplays = 2 * space.entries.count + 1
        var fit = ParameterFit(space: space, pool: pool, options: options).run(progress: progress)
        let identifiability = Identifiability.analyse(space: space, fit: fit, pool: pool,
                                                        partsPerRecording: request.partsPerRecording)
        // The fit's time: the search and the uncertainty analysis, both inside the time budget.
        fit.seconds = Date().timeIntervalSince(start)
        let original = (try? String(contentsOfFile: request.description.sourcePath, encoding: .utf8)) ?? ""
        let changes = zip(space.entries, identifiability.entries).map { entry, result in
            TunedDescription.Change(key: entry.parameter.key, value: result.value, previous: entry.nominal,
                                    uncertainty: result.uncertainty.isFinite ? result.uncertainty : nil)
        }
        let names = request.recordingPaths.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", ")
        let tuned = try TunedDescription.write(
            original: original, changes: changes,
            baseIdentities: Array(Set(recordings.map(\.header.robotIdentity))).sorted(),
            note: "values marked `sysid:` were fitted to \(names) (loss \(TunedDescription.format(fit.nominalLoss)) → "
                + "\(TunedDescription.format(fit.loss)) rad²)",
            mjcfPath: request.description.mjcfPath)
        // The tuned text must be a valid description.
        do { _ = try RobotDescription.parse(tuned, file: request.description.sourcePath) } catch {
            throw .cannotWrite(path: "the tuned description", reason: "it does not validate: \(error)")
        }
        return FitOutcome(space: space, fit: fit, identifiability: identifiability, tunedText: tuned, recordings: recordings,
                          pool: pool, recordingSeconds: recordings.reduce(0) { $0 + $1.durationSeconds })
    }

    /// Error figures of a description against one recording.
    public struct Validation: Sendable, Codable {
        public var recording: String
        public var robot: String
        public var samples: Int
        public var seconds: Double
        public var loss: Double
        public var rmsArmRad: Double
        public var rmsPendulumRad: Double
        public var maxArmErrorRad: Double
        public var maxPendulumErrorRad: Double
    }

    public static func validate(description: RobotDescription, recordingPath: String, segmentSeconds: Double = 2)
        throws(SystemIdentificationError) -> (Validation, ReplayPool) {
        let recordings = try RecordingCheck.load([recordingPath], for: description)
        let data = ReplayData(recording: recordings[0], file: recordingPath, segmentSeconds: segmentSeconds)
        let pool = try ReplayPool(mjcfPath: description.mjcfPath, robot: description.parameters, data: [data], threads: 1)
        let (arm, pendulum) = pool.simulate(0, robot: description.parameters)
        var armSquares = 0.0, pendulumSquares = 0.0, armMax = 0.0, pendulumMax = 0.0, n = 0
        for segment in data.segments { for i in segment where arm[i].isFinite && pendulum[i].isFinite {
            let ea = abs(arm[i] - data.armAngles[i]), ep = abs(remainder(pendulum[i] - data.pendulumAngles[i], 2 * Double.pi))
            armSquares += ea * ea; pendulumSquares += ep * ep
            armMax = max(armMax, ea); pendulumMax = max(pendulumMax, ep)
            n += 1
        } }
        let validation = Validation(recording: recordingPath, robot: description.sourcePath, samples: n, seconds: data.durationSeconds,
                                    loss: pool.loss(0, robot: description.parameters),
                                    rmsArmRad: (armSquares / Double(max(n, 1))).squareRoot(),
                                    rmsPendulumRad: (pendulumSquares / Double(max(n, 1))).squareRoot(),
                                    maxArmErrorRad: armMax, maxPendulumErrorRad: pendulumMax)
        return (validation, pool)
    }
}
