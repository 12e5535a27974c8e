import Foundation
import Learning
import PolicyFormat
import RobotDescription
import Trainer

/// The returns of a session folder's episodes as `furuta learn` rewards them (for `furuta
/// plot DIR`): each episode log rebuilt into transitions with the layout of the policy that ran
/// it (`latest.policy` when its candidate is gone) and SAC's simulator task.
enum SessionEpisodeReturns {
    static func returns(folder: URL, armLimitRad: Double) -> [Int: Double] {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("session.json").path),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let episodes = state["episodes"] as? [[String: Any]] else { return [:] }
        let task = TrainingConfig.defaults(for: .sac).environment.task
        var layouts: [String: ObservationLayout] = [:]
        func layout(_ policy: String) -> ObservationLayout? {
            if let known = layouts[policy] { return known }
            let paths = [folder.appendingPathComponent("candidates/" + policy).path, folder.appendingPathComponent("latest.policy").path]
            let found = paths.lazy.compactMap { try? PolicyFile(contentsOfFile: $0).observationLayout }.first
            layouts[policy] = found
            return found
        }
        var out: [Int: Double] = [:]
        for episode in episodes {
            guard let index = episode["index"] as? Int, let policy = episode["policy"] as? String, let layout = layout(policy) else { continue }
            let log = folder.appendingPathComponent(String(format: "episodes/episode-%06d.csv", index))
            guard let text = try? String(contentsOf: log, encoding: .utf8),
                  let transitions = try? RecordedEpisode.transitions(csv: text, layout: layout, task: task, armLimit: armLimitRad) else { continue }
            out[index] = transitions.reduce(0) { $0 + Double($1.reward) }
        }
        return out
    }
}
