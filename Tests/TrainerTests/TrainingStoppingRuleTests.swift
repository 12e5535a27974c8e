import Foundation
import Testing
import RobotDescription
@testable import Trainer

/// The stopping rule: a screening pass counts as a success only once the same policy passes
/// the confirming evaluation on other episodes; the run stops on the first success (PPO).
@Suite struct TrainingStoppingRuleTests {
    /// TrainingRunTests' tiny run (evaluation every 2 iterations on 2 short episodes), stopping
    /// at success; every screening passes (success rate 0 needed).
    func run(confirmationSuccessRate: Double, confirmationEpisodes: Int = 6) throws -> (TrainingRun.Summary, [String: [String]]) {
        var c = TrainingRunTests.smallConfig(steps: 8 * 4 * 8) // eight iterations
        c.stopAtSuccess = true
        c.evaluation.successRate = 0
        c.evaluation.confirmationEpisodes = confirmationEpisodes
        c.evaluation.confirmationSuccessRate = confirmationSuccessRate
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furuta-stop-\(UUID())")
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try TrainingRun(config: c, description: TrainingRunTests.description, directory: dir).run { _ in }
        let text = try String(contentsOf: dir.appendingPathComponent("metrics.csv"), encoding: .utf8)
        let rows = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        var columns: [String: [String]] = [:]
        for (k, name) in rows[0].enumerated() { columns[name] = rows.dropFirst().map { $0[k] } }
        return (summary, columns)
    }

    @Test func aScreeningPassWhoseConfirmationFailsIsNotASuccess() throws {
        // Two 0.4 s episodes cannot hold the pendulum up for 0.2 s of 6 confirming episodes
        // at 100 %: an untrained policy swings nothing up.
        let (summary, columns) = try run(confirmationSuccessRate: 1)
        #expect(summary.timeToSuccessS == nil && summary.envStepsToSuccess == nil)
        #expect(summary.iterations == 8, "ran to the step budget: \(summary.stoppedBecause)")
        #expect(summary.stoppedBecause.contains("step budget"))
        // Every screening passed, so every evaluation iteration has a confirmation score.
        let screened = columns["eval_success_rate"]!, confirmed = columns["eval_confirmation_success_rate"]!
        #expect(zip(screened, confirmed).allSatisfy { $0.isEmpty == $1.isEmpty })
        #expect(confirmed.filter { !$0.isEmpty }.count == 4)
        #expect(confirmed.filter { !$0.isEmpty }.allSatisfy { Double($0)! < 1 })
    }

    @Test func aConfirmedPassStopsTheRunAtOnce() throws {
        let (summary, columns) = try run(confirmationSuccessRate: 0)
        #expect(summary.iterations == 2, "stopped at the first evaluation: \(summary.stoppedBecause)")
        #expect(summary.envStepsToSuccess == 2 * 4 * 8)
        #expect(summary.timeToSuccessS != nil)
        #expect(summary.stoppedBecause.contains("confirmed"))
        #expect(columns["eval_confirmation_success_rate"]!.filter { !$0.isEmpty }.count == 1)
    }

    @Test func withoutAConfirmationTheScreeningDecides() throws {
        let (summary, columns) = try run(confirmationSuccessRate: 1, confirmationEpisodes: 0)
        #expect(summary.iterations == 2)
        #expect(!summary.stoppedBecause.contains("confirmed"))
        #expect(columns["eval_confirmation_success_rate"]!.allSatisfy { $0.isEmpty })
    }
}
