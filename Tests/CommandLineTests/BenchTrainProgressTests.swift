import Foundation
import Testing

/// `furuta bench train` is not silent while it trains: per seed, a progress line on stderr at
/// each in-run evaluation (steps, success so far, ETA), whose figures agree with the JSON the
/// command prints on stdout.
@Suite struct BenchTrainProgressTests {
    /// 4 envs × 8 steps = 32 env steps an iteration, evaluated every 2: evaluations at 64 and 128.
    func benchTrain(_ extra: [String] = []) throws -> BuiltBinaries.Output {
        try BuiltBinaries.run("furuta", [
            "bench", "train", "--seeds", "1,2", "--episodes", "2", "--json",
            "environment.count=4", "environment.threads=2", "environment.task.episodeSeconds=0.3",
            "ppo.stepsPerEnvironment=8", "ppo.minibatches=2", "ppo.epochs=2", "ppo.hiddenWidths=[16,16]",
            "evaluation.everyIterations=2", "evaluation.settings.episodes=2", "evaluation.settings.episodeSeconds=0.4",
            "evaluation.settings.holdSeconds=0.2", "stopAtSuccess=false", "maxEnvironmentSteps=128",
        ] + extra)
    }

    @Test func eachSeedReportsItsProgressOnStderrAndTheJSONStaysClean() throws {
        let result = try benchTrain()
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]],
                                "stdout is only the JSON: \(result.stdout)")
        #expect(rows.count == 2)
        let lines = result.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("bench train: seed") }
        for (position, seed) in [1, 2].enumerated() {
            let progress = lines.filter { $0.hasPrefix("bench train: seed \(seed) (\(position + 1)/2)  ") }
            #expect(progress.count == 2, "one line per in-run evaluation: \(lines)")
            #expect(progress.map { $0.contains("  64 steps  ") || $0.contains("  128 steps  ") } == [true, true], "\(progress)")
            #expect(progress.allSatisfy { $0.contains("success ") && $0.contains("ETA") }, "\(progress)")
            let envSteps = try #require(rows[position]["env_steps"] as? Int)
            #expect(progress.last?.contains("  \(envSteps) steps  ") == true, "the last line's steps are the run's: \(progress)")
            // The note that scoring begins is a log line (swift-log, level info).
            #expect(result.stderr.split(separator: "\n").contains {
                $0.hasPrefix("furuta: bench train: seed \(seed) (\(position + 1)/2) stopped") && $0.contains("after \(envSteps) steps")
            }, "\(result.stderr)")
        }
    }

    @Test func logLevelHidesNotesButNotProgress() throws {
        let quiet = try benchTrain(["--log-level", "warning"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(!quiet.stderr.contains("furuta: bench train"), "no info lines at --log-level warning: \(quiet.stderr)")
        #expect(quiet.stderr.contains("bench train: seed 2 (2/2)  128 steps"), "progress is not a log line: \(quiet.stderr)")
        let wrong = try BuiltBinaries.run("furuta", ["bench", "train", "--log-level", "loud"])
        #expect(wrong.status != 0)
        #expect(wrong.stderr.contains("--log-level") && wrong.stderr.contains("warning"), "names the choices: \(wrong.stderr)")
    }
}
