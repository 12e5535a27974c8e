import Foundation
import Testing
@testable import TensorBoard

@Suite struct MetricsTagsTests {
    @Test func groupsColumnsByWhatTheyMeasure() {
        #expect(MetricsTags.tag(forColumn: "eval_success_rate") == "eval/success_rate")
        #expect(MetricsTags.tag(forColumn: "mean_episode_return") == "rollout/mean_episode_return")
        #expect(MetricsTags.tag(forColumn: "steps_per_s") == "time/steps_per_s")
        #expect(MetricsTags.tag(forColumn: "approx_kl") == "train/approx_kl")
    }

    @Test func skipsEmptyCellsAndTheStepColumn() {
        let scalars = MetricsTags.scalars(columns: ["iteration", "entropy", "eval_success_rate"], row: ["4", "1.5", ""])
        #expect(scalars == [Event.Scalar(tag: "train/entropy", value: 1.5)])
    }

    /// The confirming evaluation runs about once per run: a text at its step, not a one-point curve.
    @Test func theConfirmationIsATextNotACurve() {
        let columns = ["iteration", "eval_success_rate", "eval_confirmation_success_rate"]
        let row = ["40", "1", "0.996"]
        #expect(MetricsTags.scalars(columns: columns, row: row) == [Event.Scalar(tag: "eval/success_rate", value: 1)])
        let texts = MetricsTags.texts(columns: columns, row: row)
        #expect(texts.map(\.tag) == ["eval/confirmation_success_rate"])
        #expect(texts.first?.text.hasSuffix(": 0.996") == true)
        #expect(MetricsTags.texts(columns: columns, row: ["41", "", ""]).isEmpty)
    }

    @Test func theNextStepFollowsTheLastRow() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID()).csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try "iteration,x\n1,0.5\n2,0.25\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(MetricsTags.nextStep(afterCSV: url) == 3)
        try "iteration,x\n".write(to: url, atomically: true, encoding: .utf8)
        #expect(MetricsTags.nextStep(afterCSV: url) == 0)
    }
}
