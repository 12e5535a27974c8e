#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RegularFiles

/// Everything `furuta learn` needs to continue exactly where it stopped: SAC's whole state
/// (actor, critics, targets, Adam moments, temperature, normaliser, random streams, exploration
/// noise, replay buffer: `SACLearnerState`) and the session learner's own counters — which
/// episode logs are already in the replay buffer (so a resumed learner never counts one twice),
/// the gradient steps still owed to them, and how many candidates it published.
///
/// Stored as DIR/learner/checkpoint-NNNNNNNN.json (N: the checkpoint's sequence number), each
/// written to a temporary name, fsync'd, renamed into place, and the directory fsync'd: a
/// kill -9 or a power cut leaves either the old file or the new one, never half of one. The
/// newest two are kept, and `latest` falls back to the older one when the newest does not
/// decode (a disk that lost the last write despite fsync).
public struct SessionLearnerCheckpoint: Sendable, Codable, Equatable {
    public static let formatVersion = 1
    public var formatVersion = SessionLearnerCheckpoint.formatVersion
    public var sequence: Int
    public var config: SACConfig
    public var sac: SACLearnerState
    /// Episode log names already ingested, sorted.
    public var ingested: [String]
    public var owedSteps: Int
    public var published: Int

    public static func directory(in folder: String) -> String { folder + "/learner" }

    static func path(in folder: String, sequence: Int) -> String {
        directory(in: folder) + "/" + String(format: "checkpoint-%08d.json", sequence)
    }

    /// Checkpoint files of `folder`, oldest first, with their sequence numbers.
    static func list(in folder: String) -> [(sequence: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory(in: folder))) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("checkpoint-"), name.hasSuffix(".json"),
                  let n = Int(name.dropFirst("checkpoint-".count).dropLast(".json".count)) else { return nil }
            return (n, directory(in: folder) + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    /// Writes this checkpoint durably and removes all but the newest `keep`.
    func write(in folder: String, keep: Int = 2) throws {
        let directory = Self.directory(in: folder)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let bytes = try encoder.encode(self)
        try RegularFile.write(Array(bytes), to: Self.path(in: folder, sequence: sequence))
        Self.syncDirectory(directory)
        for old in Self.list(in: folder).dropLast(keep) { unlink(old.path) }
        // Temporary files of writes a kill cut short (RegularFile names them `….tmp-PID-N`).
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.contains(".tmp-") {
            unlink(directory + "/" + name)
        }
    }

    /// fsync of the directory, so the rename itself survives a power cut.
    static func syncDirectory(_ path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// The newest checkpoint of `folder` that decodes, nil when there is none; `skipped` gets a
    /// line for each newer file that could not be read.
    public static func latest(in folder: String, skipped: (String) -> Void = { _ in }) throws -> SessionLearnerCheckpoint? {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        for file in list(in: folder).reversed() {
            do {
                let bytes = try RegularFile.read(file.path, limit: 1 << 31, what: "a learner checkpoint")
                let checkpoint = try decoder.decode(SessionLearnerCheckpoint.self, from: Data(bytes))
                guard checkpoint.formatVersion == formatVersion else {
                    throw RecordedEpisode.Failure(description: "format \(checkpoint.formatVersion); this build reads format \(formatVersion)")
                }
                return checkpoint
            } catch {
                skipped("\(file.path) skipped: \(error)")
            }
        }
        return nil
    }
}

extension SessionLearner {
    /// The learner's whole state now, as checkpoint number `sequence`.
    public func checkpoint(sequence: Int) -> SessionLearnerCheckpoint {
        SessionLearnerCheckpoint(sequence: sequence, config: learner.config, sac: learner.state, ingested: ingested.sorted(),
                                 owedSteps: owedSteps, published: published)
    }

    /// Writes the next checkpoint to DIR/learner (durably; the previous one is kept).
    /// Returns its path.
    @discardableResult
    public func saveCheckpoint() throws -> String {
        let sequence = (SessionLearnerCheckpoint.list(in: folder).last?.sequence ?? 0) + 1
        try checkpoint(sequence: sequence).write(in: folder)
        return SessionLearnerCheckpoint.path(in: folder, sequence: sequence)
    }

    /// Continues from `checkpoint`: SAC's state bit for bit and the ingested episodes, so
    /// the next `ingestNew` reads only episodes that arrived since. The configuration must give
    /// networks of the same shapes (`SACLearner.restore` refuses others).
    public func restore(_ checkpoint: SessionLearnerCheckpoint) throws {
        do { try learner.restore(checkpoint.sac) } catch {
            throw RecordedEpisode.Failure(description: "the learner checkpoint does not fit these settings (\(error.description)); "
                                          + "start with the settings it was written with, or move \(SessionLearnerCheckpoint.directory(in: folder)) away to start afresh")
        }
        ingested = Set(checkpoint.ingested)
        owedSteps = checkpoint.owedSteps
        published = checkpoint.published
    }

    /// Restores the newest readable checkpoint of the folder, if any. Returns it.
    @discardableResult
    public func resumeFromFolder() throws -> SessionLearnerCheckpoint? {
        guard let saved = try SessionLearnerCheckpoint.latest(in: folder, skipped: report) else { return nil }
        try restore(saved)
        return saved
    }
}
