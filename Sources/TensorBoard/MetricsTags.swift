import Foundation

/// TensorBoard tags for the columns of a run's metrics.csv, grouped the way TensorBoard groups
/// tags (by the part before '/'), so every column written to the CSV appears as a curve:
/// `eval_success_rate` → `eval/success_rate`, rollout statistics under `rollout/`, timings under
/// `time/`, everything else (losses, KL, entropy, learning rate…) under `train/`. A column with
/// at most a point or two per run (the confirming evaluation, written only on the iteration whose
/// screening passed) is a text at its step instead: a one-point curve shows nothing.
public enum MetricsTags {
    /// Columns written as TensorBoard texts, with what their number is.
    public static let textColumns: [String: String] = [
        "eval_confirmation_success_rate": "success rate of the confirming evaluation of this iteration's policy (its screening passed)",
    ]

    private static let rollout: Set<String> = ["mean_episode_return", "mean_episode_length", "episodes_ended", "mean_reward"]
    private static let time: Set<String> = ["elapsed_s", "steps_per_s", "collect_s", "update_s", "env_steps"]

    public static func tag(forColumn column: String) -> String {
        if column.hasPrefix("eval_") { return "eval/" + column.dropFirst(5) }
        if rollout.contains(column) { return "rollout/" + column }
        if time.contains(column) { return "time/" + column }
        return "train/" + column
    }

    /// The scalars of one CSV row: every non-empty numeric cell except the step column itself.
    public static func scalars(columns: [String], row: [String], stepColumn: String = "iteration") -> [Event.Scalar] {
        zip(columns, row).compactMap { column, cell in
            guard column != stepColumn, textColumns[column] == nil, !cell.isEmpty, let value = Double(cell) else { return nil }
            return Event.Scalar(tag: tag(forColumn: column), value: Float(value))
        }
    }

    /// The texts of one CSV row: "<what>: <cell>" for every non-empty cell of a text column.
    public static func texts(columns: [String], row: [String]) -> [Event.Text] {
        zip(columns, row).compactMap { column, cell in
            guard let what = textColumns[column], !cell.isEmpty else { return nil }
            return Event.Text(tag: tag(forColumn: column), text: "\(what): \(cell)")
        }
    }
}

extension MetricsTags {
    /// The step after the last row of a metrics.csv (0 when it has none): where a resumed run's
    /// event file starts, so TensorBoard forgets points logged after the checkpoint.
    public static func nextStep(afterCSV url: URL) -> Int64 {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return 0 }
        let last = text.split(separator: "\n").reversed().lazy
            .compactMap { $0.split(separator: ",", maxSplits: 1).first.flatMap { Int64($0) } }.first
        return last.map { $0 + 1 } ?? 0
    }
}
