import Foundation
import Testing

/// The progress line says what is known: no return when no episode ended, an ETA from the
/// stopping rule while evaluations pass, and only the budget's bound before that.
@Suite struct TrainProgressLineTests {
    func train(successRate: Double) throws -> [String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID())")
        let config = dir.appendingPathExtension("yaml")
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: config) }
        try TrainTensorBoardTests.tinyRun.replacingOccurrences(of: "stopAtSuccess: false", with: "stopAtSuccess: true")
            .write(to: config, atomically: true, encoding: .utf8)
        let result = try BuiltBinaries.run("furuta", ["train", "--out", dir.path, "--config", config.path, "maxEnvironmentSteps=320",
                                                      "evaluation.successRate=\(successRate)", "evaluation.confirmationSuccessRate=\(successRate)",
                                                      "evaluation.consecutiveSuccessesToStop=3"])
        #expect(result.status == 0, "\(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("iter") }
    }

    @Test func theETAFollowsTheStoppingRuleOnceEvaluationsPass() throws {
        let lines = try train(successRate: 0) // every evaluation passes: stops after the third
        #expect(lines.count == 3)
        #expect(lines.allSatisfy { $0.contains("if evaluations keep passing") }, "\(lines)")
        #expect(lines.contains { $0.contains("return none ended") }, "short rollouts end no episode: \(lines)")
        #expect(!lines.contains { $0.contains("return        0.0") })
    }

    @Test func beforeASuccessOnlyTheBudgetBoundIsGiven() throws {
        let lines = try train(successRate: 1) // unreachable in 320 env steps
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.contains("ETA ≤") && $0.contains("(budget)") }, "\(lines)")
    }
}
