import Foundation
import Learning
import Simulation

/// Everything needed to continue a run exactly where it stopped: the configuration, the
/// learner, every simulated env, and the run's own counters. Written atomically (temporary file,
/// then rename) under `DIR/checkpoints/`, newest two kept.
public struct TrainingCheckpoint: Sendable, Codable {
    public static let formatVersion = 2
    public var formatVersion = TrainingCheckpoint.formatVersion
    public var config: TrainingConfig
    public var robotIdentity: UInt64
    public var learner: Learner.State
    public var runner: Runner.State
    public var environment: FurutaEnvironment.Snapshot
    public var run: RunCounters

    /// The run's bookkeeping between iterations.
    public struct RunCounters: Sendable, Codable, Equatable {
        /// Wall time of the run so far, all sessions together, seconds.
        public var elapsedSeconds = 0.0
        public var collectSeconds = 0.0
        public var updateSeconds = 0.0
        public var evaluateSeconds = 0.0
        public var timeToSuccessSeconds: Double?
        public var environmentStepsToSuccess: Int?
        public var lastSuccessRate: Double?
        /// Successful evaluations in a row up to now.
        public var consecutiveSuccesses = 0
        /// The best evaluation so far (the latest among equals), whose policy is `best.policy`.
        public var bestSuccessRate: Double?
        public var bestIteration: Int?
        public init() {}
    }

    static func directory(in run: URL) -> URL { run.appendingPathComponent("checkpoints") }

    /// Write to `DIR/checkpoints/iteration-NNNNNNN.json` atomically; keep the newest `keep`.
    func write(in run: URL, keep: Int = 2) throws {
        let folder = Self.directory(in: run)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = String(format: "iteration-%07d.json", runner.iteration)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        try encoder.encode(self).write(to: folder.appendingPathComponent(name), options: .atomic)
        let all = try Self.list(in: run)
        for old in all.dropLast(keep) { try? FileManager.default.removeItem(at: old) }
        // Temporary files an atomic write left behind when the process was killed mid-write:
        // hidden entries of this folder (only checkpoint writes create files here).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(".") {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// Checkpoint files, oldest first.
    static func list(in run: URL) throws -> [URL] {
        let folder = directory(in: run)
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.lastPathComponent.hasPrefix("iteration-") && $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    /// The newest readable checkpoint of a run directory.
    public static func latest(in run: URL) throws -> TrainingCheckpoint {
        let files = try list(in: run)
        guard !files.isEmpty else {
            throw TrainingError.noCheckpoint(run.path)
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var lastError: Error?
        for file in files.reversed() {
            do {
                let checkpoint = try decoder.decode(TrainingCheckpoint.self, from: Data(contentsOf: file))
                guard checkpoint.formatVersion == formatVersion else {
                    throw TrainingError.checkpointVersion(file.path, checkpoint.formatVersion)
                }
                return checkpoint
            } catch { lastError = error }
        }
        throw TrainingError.unreadableCheckpoint(run.path, "\(lastError.map { "\($0)" } ?? "unknown")")
    }
}
