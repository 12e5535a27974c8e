#if canImport(Glibc)
import Glibc
#endif
import Foundation
import PolicyFormat

/// The off-policy learner of a robot session (`furuta learn --session DIR`), with no clock or
/// process of its own: `poll` ingests every episode log in DIR/episodes not yet seen
/// (renamed into place by the controller, so never half-written), runs `updatesPerStep`
/// gradient steps per new transition, and publishes the actor's deterministic policy as the
/// next DIR/candidates/candidate-N.policy (written to a temporary name, then renamed). A
/// restarted learner starts from an empty buffer and catches up from the folder: every episode
/// is still there.
public final class SessionLearner {
    public struct Identity: Sendable {
        public var layout: ObservationLayout
        public var robotIdentity: UInt64
        public var robotName: String
        public var controlRateHz: Double
        public var armLimit: Double
        public init(layout: ObservationLayout, robotIdentity: UInt64, robotName: String, controlRateHz: Double, armLimit: Double) {
            self.layout = layout
            self.robotIdentity = robotIdentity
            self.robotName = robotName
            self.controlRateHz = controlRateHz
            self.armLimit = armLimit
        }
    }

    public let folder: String
    public let identity: Identity
    public let task: SwingUpTask
    public let learner: SACLearner
    public internal(set) var ingested: Set<String> = []
    public internal(set) var published = 0
    public var report: (String) -> Void = { _ in }
    /// Called with each episode log's name and transitions as they are ingested (TensorBoard).
    public var episodeIngested: (_ name: String, _ transitions: [Transition]) -> Void = { _, _ in }

    public init(folder: String, identity: Identity, config: SACConfig, task: SwingUpTask) {
        self.folder = folder
        self.identity = identity
        self.task = task
        learner = SACLearner(config: config, environmentCount: 1, observationSize: identity.layout.size, actionSize: identity.layout.actionCount)
    }

    var episodesDirectory: String { folder + "/episodes" }
    var candidatesDirectory: String { folder + "/candidates" }

    /// Episode logs present and complete, in order.
    public func episodeLogs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: episodesDirectory)) ?? []
        return names.filter { $0.hasPrefix("episode-") && $0.hasSuffix(".csv") }.sorted()
    }

    /// The next candidate number: one past the highest in the folder.
    func nextCandidateNumber() -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: candidatesDirectory)) ?? []
        let numbers = names.compactMap { name -> Int? in
            guard name.hasPrefix("candidate-"), name.hasSuffix(".policy") else { return nil }
            return Int(name.dropFirst("candidate-".count).dropLast(".policy".count))
        }
        return (numbers.max() ?? 0) + 1
    }

    /// The sensor-to-actuation latency range every candidate records (`PolicyFile.trainedLatency`,
    /// which the controller checks the link against before each episode). With `--from` it is the
    /// start policy's: fine-tuning keeps the latency the actor was trained for, on a robot whose
    /// link the controller has already held to that range. nil (from scratch): the candidates
    /// record none.
    public var trainedLatency: TrainedLatency?

    /// Publishes the current actor. Returns the path written.
    @discardableResult
    public func publish(notes: String) throws -> String {
        try FileManager.default.createDirectory(atPath: candidatesDirectory, withIntermediateDirectories: true)
        var file = learner.exportPolicy(layout: identity.layout, robotIdentity: identity.robotIdentity, robotName: identity.robotName,
                                        controlRateHz: identity.controlRateHz, notes: notes)
        file.trainedLatency = trainedLatency
        return try publish(file)
    }

    /// Publishes a given policy file (the `--from` start) as the next candidate, with the
    /// exploration the learner asks the controller for (`explorationRequest`) written next to it
    /// first, so a controller that sees the policy also sees its exploration.
    @discardableResult
    public func publish(_ file: PolicyFile) throws -> String {
        let number = nextCandidateNumber()
        let n = String(number)
        let stem = candidatesDirectory + "/candidate-" + String(repeating: "0", count: max(0, 6 - n.count)) + n
        let path = stem + ".policy"
        let exploration = Array(explorationRequest().utf8)
        try Data(exploration).write(to: URL(fileURLWithPath: stem + ".exploration.json"), options: .atomic)
        let temporary = candidatesDirectory + "/.candidate-\(n).partial"
        try file.write(toFile: temporary)
        guard rename(temporary, path) == 0 else { throw RecordedEpisode.Failure(description: "cannot rename \(temporary) to \(path)") }
        published += 1
        if let published = onPublish, let bytes = FileManager.default.contents(atPath: path) {
            published(number, Array(bytes), exploration)
        }
        return path
    }

    /// Called after each candidate is in place (number, .policy bytes, exploration JSON): the
    /// link sends it to the controller.
    public var onPublish: ((Int, [UInt8], [UInt8]) -> Void)?

    /// The least σ asked for (`furuta learn --exploration-sigma-floor`; 0: SAC's spread as it is).
    public var explorationSigmaFloor = 0.0

    /// The exploration handed over with a candidate (docs/sessions.md): σ is SAC's own spread
    /// in action units (`SACLearner.explorationScale`), at least `explorationSigmaFloor` and at most 1; correlation and bound are
    /// the controller's defaults. The controller clamps each to its own maxima.
    public func explorationRequest() -> String {
        let sigma = min(max(learner.explorationScale(), explorationSigmaFloor), 1)
        return String(format: "{\"sigma\": %.4f, \"correlation\": 0.95, \"bound\": 0.5, ", sigma)
            + "\"source\": \"SAC spread (1 - tanh^2 mu) sigma at \(learner.gradientSteps) gradient steps, temperature \(learner.temperature)\"}\n"
    }

    /// Gradient steps owed to transitions ingested so far (`updatesPerStep` each), not yet run.
    public internal(set) var owedSteps = 0

    /// Ingests new episodes and learns from them. Returns the number of new transitions.
    public func poll() throws -> Int {
        let added = try ingestNew()
        train(maxSteps: owedSteps)
        return added
    }

    /// Ingests the episode logs not seen yet; each new transition owes `updatesPerStep`
    /// gradient steps (once the buffer holds `learningStarts`). Returns the new transitions.
    public func ingestNew() throws -> Int {
        var added = 0
        for name in episodeLogs() where !ingested.contains(name) {
            let path = episodesDirectory + "/" + name
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let transitions = try RecordedEpisode.transitions(csv: text, layout: identity.layout, task: task, armLimit: identity.armLimit)
            learner.ingest(transitions)
            ingested.insert(name)
            added += transitions.count
            let episodeReturn = transitions.reduce(Float(0)) { $0 + $1.reward }
            episodeIngested(name, transitions)
            report("\(name): \(transitions.count) transitions, return \(String(format: "%.1f", episodeReturn)), replay \(learner.replay.count)")
        }
        if added > 0, learner.replay.added >= learner.config.learningStarts {
            owedSteps += learner.config.updatesPerStep * added
        }
        return added
    }

    /// Runs up to `maxSteps` of the owed gradient steps, or fewer when `stopWhen` (asked every
    /// 100 steps) says so. Returns how many ran.
    @discardableResult
    public func train(maxSteps: Int, stopWhen: () -> Bool = { false }) -> Int {
        var steps = 0
        while steps < min(maxSteps, owedSteps) {
            if steps % 100 == 0, stopWhen() { break }
            learner.gradientStep()
            steps += 1
        }
        guard steps > 0 else { return 0 }
        owedSteps -= steps
        report("\(steps) gradient steps (\(learner.gradientSteps) in all, \(owedSteps) owed)")
        return steps
    }
}
