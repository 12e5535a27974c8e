import Foundation
import Learning
import TensorBoard

/// TensorBoard curves of a robot training session, written by `furuta learn` into the session
/// folder (so `tensorboard --logdir runs` shows `runs/s1` beside the training runs):
///
/// - per episode, at step = the episode's number: `episode/return` and `episode/transitions`
///   when the learner ingests its log; `episode/success` (1 or 0), `episode/longest_upright_s`,
///   `episode/running_s`, `episode/robot_time_s` (the session's robot time up to its end),
///   `episode/policy` (the number of the candidate that ran it) and `episode/fault` (1 or 0)
///   once the controller's `session.json` lists it (it is rewritten just after the log is
///   renamed into place, so the learner may see the log first);
/// - per published policy, at step = the learner's gradient steps: `learner/critic_loss`,
///   `learner/actor_loss`, `learner/entropy`, `learner/temperature`, `learner/updates_per_s`
///   (gradient steps per second of update time since the previous publish), `learner/replay_size`,
///   `learner/episodes` and `learner/steps_owed`.
///
/// A learner that starts from nothing (no ingested episode, no gradient step: today's restart)
/// re-learns from every episode in the folder; its file then begins with a session start at
/// step 0, which makes TensorBoard drop the earlier learner's points instead of showing both.
public final class SessionTensorBoard {
    private let writer: EventFileWriter
    private let statePath: String
    /// Episodes ingested whose controller record was not in session.json yet.
    private var pending: Set<Int> = []
    private var previousPublish: (steps: Int, updateNanoseconds: Int64)?

    /// Opens a new event file in `folder`. `restartingFromScratch`: the learner holds no state
    /// of an earlier one (see above).
    public init(folder: String, restartingFromScratch: Bool) throws(EventFileError) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let earlier = names.contains { $0.hasPrefix("events.out.tfevents.") }
        writer = try EventFileWriter(directory: URL(fileURLWithPath: folder), resumingAt: earlier && restartingFromScratch ? 0 : nil)
        statePath = folder + "/session.json"
    }

    /// The episode number in `episode-000012.csv` (or a simulated part, `episode-000012-02.csv`).
    static func episodeNumber(_ name: String) -> Int? {
        guard name.hasPrefix("episode-") else { return nil }
        return Int(name.dropFirst("episode-".count).prefix { $0.isNumber })
    }

    /// An episode log the learner just ingested (`SessionLearner.episodeIngested`).
    public func ingested(_ name: String, transitions: [Transition]) throws(EventFileError) {
        guard let index = Self.episodeNumber(name) else { return }
        let episodeReturn = transitions.reduce(Float(0)) { $0 + $1.reward }
        try writer.write(scalars: [.init(tag: "episode/return", value: episodeReturn),
                                   .init(tag: "episode/transitions", value: Float(transitions.count))], step: Int64(index))
        pending.insert(index)
        try logControllerRecords()
    }

    /// Logs what session.json says of the pending episodes (call it now and then: the
    /// controller may write it after the learner saw the log).
    public func logControllerRecords() throws(EventFileError) {
        guard !pending.isEmpty, let data = FileManager.default.contents(atPath: statePath),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let episodes = state["episodes"] as? [[String: Any]] else { return }
        var robotTime = 0.0
        for episode in episodes.sorted(by: { ($0["index"] as? Int ?? 0) < ($1["index"] as? Int ?? 0) }) {
            guard let index = episode["index"] as? Int else { continue }
            let running = episode["running_s"] as? Double ?? 0
            robotTime += running
            guard pending.contains(index) else { continue }
            var scalars: [Event.Scalar] = [
                .init(tag: "episode/success", value: episode["success"] as? Bool == true ? 1 : 0),
                .init(tag: "episode/longest_upright_s", value: Float(episode["longest_upright_s"] as? Double ?? 0)),
                .init(tag: "episode/running_s", value: Float(running)),
                .init(tag: "episode/robot_time_s", value: Float(robotTime)),
                .init(tag: "episode/fault", value: (episode["fault"] as? String) == nil ? 0 : 1),
            ]
            if let policy = (episode["policy"] as? String).flatMap(Self.candidateNumber) {
                scalars.append(.init(tag: "episode/policy", value: Float(policy)))
            }
            try writer.write(scalars: scalars, step: Int64(index))
            pending.remove(index)
        }
    }

    /// `candidate-000007.policy` → 7 (a policy placed by hand as latest.policy has no number).
    static func candidateNumber(_ name: String) -> Int? {
        guard name.hasPrefix("candidate-") else { return nil }
        return Int(name.dropFirst("candidate-".count).prefix { $0.isNumber })
    }

    /// The learner's figures when it publishes a policy: losses and entropy averaged over the
    /// gradient steps since the previous publish (`finishIteration` empties that average).
    public func published(_ session: SessionLearner) throws(EventFileError) {
        let sac = session.learner
        var statistics = TrainingStatistics()
        sac.finishIteration(into: &statistics)
        let timing = sac.timing
        let updateNanoseconds = timing.criticNanoseconds + timing.targetNanoseconds + timing.actorNanoseconds + timing.temperatureNanoseconds
        var scalars: [Event.Scalar] = [
            .init(tag: "learner/temperature", value: sac.temperature),
            .init(tag: "learner/replay_size", value: Float(sac.replay.count)),
            .init(tag: "learner/episodes", value: Float(session.ingested.count)),
            .init(tag: "learner/steps_owed", value: Float(session.owedSteps)),
        ]
        if statistics.valueLoss.isFinite { scalars.append(.init(tag: "learner/critic_loss", value: statistics.valueLoss)) }
        if statistics.policyLoss.isFinite { scalars.append(.init(tag: "learner/actor_loss", value: statistics.policyLoss)) }
        if statistics.entropy.isFinite { scalars.append(.init(tag: "learner/entropy", value: statistics.entropy)) }
        let before = previousPublish ?? (steps: 0, updateNanoseconds: 0)
        if sac.gradientSteps > before.steps, updateNanoseconds > before.updateNanoseconds {
            let rate = Double(sac.gradientSteps - before.steps) / (Double(updateNanoseconds - before.updateNanoseconds) * 1e-9)
            scalars.append(.init(tag: "learner/updates_per_s", value: Float(rate)))
        }
        previousPublish = (sac.gradientSteps, updateNanoseconds)
        try writer.write(scalars: scalars, step: Int64(sac.gradientSteps))
        try logControllerRecords()
    }
}
