import Foundation
import Testing
import RobotDescription
import Learning
import Simulation
@testable import Trainer

@Suite struct TrainingRunTests {
    static let description = try! RobotDescription.load(from: RobotDescription.defaultPath)

    /// A tiny run: 4 envs, short episodes so truncations and resets happen, evaluation every
    /// 2 iterations.
    static func smallConfig(steps: Int) -> TrainingConfig {
        var c = TrainingConfig()
        c.environment.count = 4
        c.environment.threads = 2
        c.environment.task.episodeSeconds = 0.3
        c.ppo.stepsPerEnvironment = 8
        c.ppo.minibatches = 2
        c.ppo.epochs = 2
        c.ppo.hiddenWidths = [16, 16]
        c.evaluation.everyIterations = 2
        c.evaluation.settings.episodes = 2
        c.evaluation.settings.episodeSeconds = 0.4
        c.evaluation.settings.holdSeconds = 0.2
        c.maxEnvironmentSteps = steps
        c.stopAtSuccess = false
        return c
    }

    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("furuta-run-\(UUID())")
    }

    /// metrics.csv without its wall-clock columns.
    func deterministicMetrics(_ dir: URL) throws -> [[String]] {
        let text = try String(contentsOf: dir.appendingPathComponent("metrics.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows[0]
        let timing: Set<String> = ["elapsed_s", "steps_per_s", "collect_s", "update_s"]
        let keep = header.indices.filter { !timing.contains(header[$0]) }
        return rows.map { row in keep.map { row[$0] } }
    }

    @Test func resumeReproducesTheUninterruptedRunExactly() throws {
        let whole = temporaryDirectory(), split = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: whole); try? FileManager.default.removeItem(at: split) }
        let total = 6 * 4 * 8 // six iterations

        let uninterrupted = try TrainingRun(config: Self.smallConfig(steps: total), description: Self.description, directory: whole)
        _ = try uninterrupted.run { _ in }

        let first = try TrainingRun(config: Self.smallConfig(steps: total / 2), description: Self.description, directory: split)
        let firstSummary = try first.run { _ in }
        #expect(firstSummary.iterations == 3)
        #expect(try !TrainingCheckpoint.list(in: split).isEmpty)
        let resumed = try TrainingRun.resuming(directory: split, description: Self.description) { saved in
            var c = saved
            c.maxEnvironmentSteps = total
            return c
        }
        let summary = try resumed.run { _ in }
        #expect(summary.iterations == 6)

        let a = try deterministicMetrics(whole), b = try deterministicMetrics(split)
        #expect(a.count == 7) // header + 6 iterations
        #expect(a == b)
        let policyA = try Data(contentsOf: whole.appendingPathComponent("final.policy"))
        let policyB = try Data(contentsOf: split.appendingPathComponent("final.policy"))
        #expect(policyA == policyB)
    }

    @Test func resumeDropsMetricsWrittenAfterTheCheckpoint() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try TrainingRun(config: Self.smallConfig(steps: 2 * 32), description: Self.description, directory: dir)
        _ = try run.run { _ in }
        // A crash after the checkpoint leaves a row the checkpoint does not know about.
        let metrics = dir.appendingPathComponent("metrics.csv")
        let handle = try FileHandle(forWritingTo: metrics)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("3,96,1,1,,,0,0,0,0,0,0,0,0,0,0,0,0,,,\n".utf8))
        try handle.close()
        let resumed = try TrainingRun.resuming(directory: dir, description: Self.description) { $0 }
        _ = try resumed.run { _ in }
        let iterations = try deterministicMetrics(dir).dropFirst().map { $0[0] }
        #expect(iterations == ["1", "2"])
    }

    @Test func resumingAnEmptyDirectoryExplainsWhatIsMissing() {
        let dir = temporaryDirectory()
        #expect {
            _ = try TrainingRun.resuming(directory: dir, description: Self.description) { $0 }
        } throws: { error in "\(error)".contains("no checkpoints") }
    }

    @Test func shortRunOnThePendulumRaisesTheReturn() throws {
        // 64 envs × 16 steps × 24 iterations ≈ 25 k steps: enough for the swing to start paying.
        var c = TrainingConfig()
        c.environment.count = 64
        c.ppo.stepsPerEnvironment = 16
        c.evaluation.everyIterations = 1000
        c.maxEnvironmentSteps = 64 * 16 * 24
        c.stopAtSuccess = false
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try TrainingRun(config: c, description: Self.description, directory: dir)
        var rewards: [Float] = []
        _ = try run.run { _ in }
        let rows = try deterministicMetrics(dir)
        let column = rows[0].firstIndex(of: "mean_reward")!
        rewards = rows.dropFirst().map { Float($0[column])! }
        let early = rewards.prefix(4).reduce(0, +) / 4, late = rewards.suffix(4).reduce(0, +) / 4
        print("mean reward per step: first iterations \(early), last \(late)")
        #expect(late > early * 1.5, "mean reward per step: first iterations \(early), last \(late)")
    }
}
