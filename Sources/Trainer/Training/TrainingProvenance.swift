import Foundation
import PolicyFormat

/// Where a trained policy came from, for `PolicyFile.provenance` (shown by `furuta policy show`).
public enum TrainingProvenance {
    /// the algorithm, the resolved config's hash, seed, steps and the trainer's commit when
    /// known. No timestamp: the same run writes the same bytes (a resumed run's final.policy equals
    /// the uninterrupted one's, tested in TrainingRunTests).
    public static func make(config: TrainingConfig, environmentSteps: Int) -> PolicyProvenance {
        PolicyProvenance(algorithm: config.algorithm.rawValue, configHash: configHash(config), seed: config.seed,
                         environmentSteps: environmentSteps, trainerCommit: trainerCommit)
    }

    /// FNV-1a 64 of the config's JSON with sorted keys: equal configs give equal hashes.
    public static func configHash(_ config: TrainingConfig) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(config) else { return nil }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in data { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// `FURUTA_TRAINER_COMMIT` if set, else `git describe --always --dirty` of the source tree this
    /// binary was built from, when that tree is still there (looked up once); nil otherwise.
    public static let trainerCommit: String? = {
        if let value = ProcessInfo.processInfo.environment["FURUTA_TRAINER_COMMIT"], !value.isEmpty { return value }
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: sources.path) else { return nil }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", sources.path, "describe", "--always", "--dirty"]
        let out = Pipe()
        git.standardOutput = out
        git.standardError = FileHandle.nullDevice
        guard (try? git.run()) != nil else { return nil }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        git.waitUntilExit()
        return git.terminationStatus == 0 && !text.isEmpty ? text : nil
    }()
}
