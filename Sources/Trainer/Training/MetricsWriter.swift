import Foundation
import Learning
import TensorBoard

/// `metrics.csv`: one row per iteration, flushed as it is written so a crash loses nothing.
final class MetricsWriter {
    private let handle: FileHandle
    /// The same rows as TensorBoard scalars, in an event file beside metrics.csv.
    private let events: EventFileWriter
    static let header = "iteration,env_steps,elapsed_s,steps_per_s,mean_episode_return,mean_episode_length,episodes_ended,mean_reward,policy_loss,value_loss,entropy,approx_kl,clip_fraction,grad_norm,learning_rate,action_std,collect_s,update_s,eval_success_rate,eval_mean_return,eval_upright_s,explained_variance,eval_confirmation_success_rate"

    static let columns = header.split(separator: ",").map(String.init)

    init(url: URL, appending: Bool = false) throws {
        if !appending || !FileManager.default.fileExists(atPath: url.path) {
            try (Self.header + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        events = try EventFileWriter(directory: url.deletingLastPathComponent(),
                                     resumingAt: appending ? MetricsTags.nextStep(afterCSV: url) : nil)
    }

    deinit { try? handle.close() }

    /// Drop rows after `iteration` (written after the checkpoint a run resumes from).
    static func truncate(_ url: URL, afterIteration iteration: Int) throws {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return }
        let kept = text.split(separator: "\n", omittingEmptySubsequences: true).filter { line in
            guard let first = line.split(separator: ",", maxSplits: 1).first, let n = Int(first) else { return true }
            return n <= iteration
        }
        try (kept.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }

    /// `confirmation`: the confirming evaluation of the same policy (after a screening pass).
    func append(_ s: TrainingStatistics, elapsed: Double, evaluation: PolicyEvaluation.Result?,
                confirmation: PolicyEvaluation.Result? = nil) throws {
        func f(_ x: Float) -> String { x.isNaN ? "" : String(format: "%.6g", x) }
        func d(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "" }
        let row = [String(s.iteration), String(s.environmentSteps), d(elapsed), d(Double(s.environmentSteps) / elapsed),
                   f(s.meanEpisodeReturn), f(s.meanEpisodeLength), String(s.episodesEnded), f(s.meanReward),
                   f(s.policyLoss), f(s.valueLoss), f(s.entropy), f(s.approximateKL), f(s.clipFraction),
                   f(s.gradientNorm), f(s.learningRate), f(s.actionStd), d(s.secondsCollecting), d(s.secondsUpdating),
                   d(evaluation?.successRate), d(evaluation?.meanReturn), d(evaluation?.meanUprightS),
                   f(s.explainedVariance), d(confirmation?.successRate)]
        try handle.write(contentsOf: Data((row.joined(separator: ",") + "\n").utf8))
        try events.write(scalars: MetricsTags.scalars(columns: Self.columns, row: row), step: Int64(s.iteration))
        try events.write(texts: MetricsTags.texts(columns: Self.columns, row: row), step: Int64(s.iteration))
    }
}
