import Foundation
import Testing

@Suite struct TrainConfigCommandTests {
    @Test func overridesReachThePrintedConfiguration() throws {
        let result = try BuiltBinaries.run("furuta", ["train", "--print-config", "ppo.epochs=7", "environment.historyLength=2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("epochs: 7"))
        #expect(result.stdout.contains("historyLength: 2"))
    }

    @Test func aConfigFileIsLayeredUnderOverrides() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("train-\(UUID()).yaml").path
        try "ppo:\n  epochs: 3\n  minibatches: 8\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try BuiltBinaries.run("furuta", ["train", "--config", path, "--print-config", "ppo.epochs=9"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("epochs: 9"))
        #expect(result.stdout.contains("minibatches: 8"))
    }

    @Test func unknownKeysAndBadValuesAreNamed() throws {
        let typo = try BuiltBinaries.run("furuta", ["train", "--print-config", "ppo.learnigRate=1"])
        #expect(typo.status != 0)
        #expect(typo.stderr.contains("unknown key 'ppo.learnigRate'"))
        #expect(typo.stderr.contains("learningRate"))
        let badType = try BuiltBinaries.run("furuta", ["train", "--print-config", "ppo.epochs=many"])
        #expect(badType.status != 0)
        #expect(badType.stderr.contains("epochs"))
        let invalid = try BuiltBinaries.run("furuta", ["train", "--out", "/tmp/never-\(UUID())", "ppo.epochs=0"])
        #expect(invalid.status != 0)
        #expect(invalid.stderr.contains("ppo.epochs: must be in [1, 1000], found 0"))
    }

    @Test func algorithmSACStartsFromTheOffPolicyDefaults() throws {
        let sac = try BuiltBinaries.run("furuta", ["train", "--algorithm", "sac", "--print-config", "sac.updatesPerStep=4"])
        #expect(sac.status == 0, "\(sac.stderr)")
        #expect(sac.stdout.contains("algorithm: sac"))
        #expect(sac.stdout.contains("updatesPerStep: 4"))
        #expect(sac.stdout.contains("count: 1\n"), "one env for the off-policy learner")
        let ppo = try BuiltBinaries.run("furuta", ["train", "--print-config"])
        #expect(ppo.stdout.contains("algorithm: ppo"))
        #expect(ppo.stdout.contains("count: 128\n"))
        let unknown = try BuiltBinaries.run("furuta", ["train", "--algorithm", "td3", "--print-config"])
        #expect(unknown.status != 0)
    }

    @Test func evalRefusesAMissingPolicyFile() throws {
        let result = try BuiltBinaries.run("furuta", ["eval", "--policy", "/nonexistent.policy"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent.policy"))
    }

    /// A run killed before its first checkpoint (config.yaml and a partial metrics.csv, no
    /// checkpoints/) is not a dead end: --resume trains it again from its config, and the
    /// partial metrics are replaced, not appended to.
    @Test func aRunKilledBeforeItsFirstCheckpointResumesFromItsConfig() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("early-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = try BuiltBinaries.run("furuta", ["train", "--print-config", "environment.count=8",
                                                      "ppo.stepsPerEnvironment=8", "maxEnvironmentSteps=128"])
        #expect(config.status == 0, "\(config.stderr)")
        try config.stdout.write(to: folder.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        try "partial row from a killed run\n".write(to: folder.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        let refused = try BuiltBinaries.run("furuta", ["train", "--out", folder.path])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--resume"))
        let resumed = try BuiltBinaries.run("furuta", ["train", "--resume", folder.path, "--quiet"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("no checkpoint yet"), "\(resumed.stderr)")
        let metrics = try String(contentsOf: folder.appendingPathComponent("metrics.csv"), encoding: .utf8)
        #expect(!metrics.contains("partial row"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("final.policy").path))
    }

    /// A kill in the middle of a checkpoint write leaves the atomic write's hidden temporary in
    /// checkpoints/; the next checkpoint of the resumed run removes it.
    @Test func temporaryCheckpointFilesLeftByAKillAreCleanedUp() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leftover-\(UUID())")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tiny = ["environment.count=8", "ppo.stepsPerEnvironment=8", "evaluation.everyIterations=100", "stopAtSuccess=false"]
        let first = try BuiltBinaries.run("furuta", ["train", "--quiet", "--out", folder.path, "maxEnvironmentSteps=128"] + tiny)
        #expect(first.status == 0, "\(first.stderr)")
        let checkpoints = folder.appendingPathComponent("checkpoints")
        let leftover = checkpoints.appendingPathComponent(".iteration-0000002.json.tmp-killed")
        try "half a checkpoint".write(to: leftover, atomically: false, encoding: .utf8)
        let resumed = try BuiltBinaries.run("furuta", ["train", "--quiet", "--resume", folder.path, "maxEnvironmentSteps=256"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: leftover.path), "the temporary was left behind")
        let names = try FileManager.default.contentsOfDirectory(atPath: checkpoints.path)
        #expect(!names.isEmpty && names.allSatisfy { $0.hasPrefix("iteration-") }, "\(names)")
    }
}
