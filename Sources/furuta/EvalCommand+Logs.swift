import Foundation
import Learning
import RobotDescription
import Trainer

/// `furuta eval --log FILE`: runs recorded on the robot or the twin judged by the criterion
/// `furuta eval` scores simulated episodes with (`SwingUpSuccess`, via `RecordedEpisode.verdict`).
extension EvalCommand {
    /// One judged log of `--log`.
    struct LogEntry: Encodable {
        var log: String
        var verdict: RecordedEpisode.Verdict
    }

    /// Every log of `--log` split into running rows (`RecordedEpisode.steps`) and judged by the
    /// criterion `furuta eval` scores simulated episodes with.
    func judgeLogs(description: RobotDescription) throws {
        let robotParameters = description.parameters
        let criterion = PolicyEvaluation.Settings().criterion
        var entries: [LogEntry] = []
        for path in log {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandFailure("--log \(path): cannot read it (a `furuta-controller run --log` CSV or a session's episodes/episode-N.csv)")
            }
            let steps: [RecordedEpisode.Step]
            do { steps = try RecordedEpisode.steps(csv: text) } catch { throw CommandFailure("--log \(path): \(error)") }
            let verdict = RecordedEpisode.verdict(steps: steps, criterion: criterion,
                                                  periodS: robotParameters.control.periodS, armLimit: robotParameters.arm.softLimitRad)
            entries.append(LogEntry(log: path, verdict: verdict))
            if !json {
                print("\(path): \(verdict.success ? "success" : "no success"), upright for the last \(String(format: "%.2f", verdict.finalUprightS)) s "
                      + "of \(String(format: "%.2f", verdict.runningS)) s judged\(verdict.terminated ? ", the arm left its travel" : "")")
            }
        }
        let successes = entries.filter { $0.verdict.success }.count
        if json {
            printJSON(LogsResult(logs: entries, episodes: entries.count, successes: successes,
                                 successRate: Double(successes) / Double(entries.count)))
        } else {
            print("\(successes)/\(entries.count) successful (\(String(format: "%.1f", Double(successes) * 100 / Double(entries.count))) %): "
                  + "upright within \(criterion.uprightTolerance) rad for the whole last \(criterion.holdSeconds) s of \(criterion.episodeSeconds) s")
        }
    }

    struct LogsResult: Encodable {
        var logs: [LogEntry]
        var episodes: Int
        var successes: Int
        var successRate: Double
    }
}
