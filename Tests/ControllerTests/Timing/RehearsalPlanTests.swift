import Controller
import Foundation
import PolicyFormat
import Testing

struct RehearsalPlanTests {
    @Test func latencyRangeIsTwiceTheDeclaredLatencyNarrowedToTheTrainedRange() {
        #expect(RehearsalPlan.latencyRange(declaredSeconds: 0.004, trained: nil) == 0...0.008)
        #expect(RehearsalPlan.latencyRange(declaredSeconds: 0.004, trained: TrainedLatency(minimumSeconds: 0.002, maximumSeconds: 0.006)) == 0.002...0.006)
        #expect(RehearsalPlan.latencyRange(declaredSeconds: 0.004, trained: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.010)) == 0...0.008)
    }

    @Test func everyConditionAndEveryLatencyStratumIsCoveredAndTheSeedRepeatsThePlan() {
        let plan = RehearsalPlan(episodes: 20, latencyRange: 0...0.008, seed: 5)
        #expect(plan == RehearsalPlan(episodes: 20, latencyRange: 0...0.008, seed: 5))
        #expect(plan != RehearsalPlan(episodes: 20, latencyRange: 0...0.008, seed: 6))
        for condition in RehearsalCondition.allCases {
            #expect(plan.episodes.filter { $0.condition == condition }.count == 4)
        }
        let strata = Set(plan.episodes.map { Int($0.latencySeconds / 0.0004) })
        #expect(strata == Set(0..<20), "one episode in each 0.4 ms stratum")
        #expect(plan.episodes.allSatisfy { (0.5...1).contains($0.replyShare) })
    }

    @Test func twinArgumentsCarryTheEpisodesLatencyAndFaults() {
        let spec = RehearsalEpisodeSpec(index: 0, condition: .brownout, latencySeconds: 0.006, replyShare: 0.75, seed: 9)
        let arguments = spec.twinArguments(trainingConfig: "c.yaml", robot: nil, brownoutAfterSeconds: 4.5)
        let text = arguments.joined(separator: " ")
        #expect(text.contains("--randomize 9"))
        #expect(text.contains("--training-config c.yaml"))
        #expect(text.contains("--brownout-after 4.5"))
        #expect(text.contains("--delay-ms 4.5 --command-delay-ms 1.5"))
    }

    @Test func reportCountsPassRatesPerConditionAndBand() throws {
        func result(_ index: Int, _ condition: RehearsalCondition, _ ms: Double, _ passed: Bool) -> RehearsalEpisodeResult {
            RehearsalEpisodeResult(index: index, condition: condition, latencyMs: ms, seed: 0, passed: passed,
                                   reason: passed ? "ok" : "upright only 1 s", exitStatus: 0, seconds: 1)
        }
        let report = RehearsalReport(policy: "p", trainingConfig: nil, threshold: 0.95, loadThreads: 2, latencyRange: 0...0.008,
                                     trainedLatencyMs: nil,
                                     results: [result(0, .nominal, 1, true), result(1, .drops, 3, false), result(2, .nominal, 7.5, true)],
                                     workDirectory: "/tmp", wallSeconds: 3)
        #expect(report.passRate == 2.0 / 3)
        #expect(!report.meetsThreshold)
        #expect(report.conditions["nominal"]?.passRate == 1)
        #expect(report.conditions["drops"]?.passRate == 0)
        #expect(report.latencyBandsMs["6-8"]?.episodes == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: report.json()) as? [String: Any])
        #expect(json["pass_rate"] as? Double == 2.0 / 3)
        #expect((json["conditions"] as? [String: Any])?["drops"] != nil)
        #expect(report.table.contains("failed: episode 1 (drops, 3.0 ms): upright only 1 s"))
    }
}
