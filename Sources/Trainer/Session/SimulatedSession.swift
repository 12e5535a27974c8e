import Foundation
import Learning
import MotorModel
import PolicyFormat
import Simulation

/// A robot training session with the simulator in the robot's place, through the session
/// folder: each episode runs the newest candidate the learner published (as
/// `furuta-controller session` swaps it in), is written to DIR/episodes in the controller's
/// log format, and the learner polls the folder, learns and publishes — in turn, not in
/// parallel, so a run is reproducible and as fast as the learner. It answers "does the learner
/// learn from what the controller records?" without the twin's real time.
public struct SimulatedSession {
    public struct EpisodeOutcome: Sendable {
        public var index: Int
        public var policy: String
        public var transitions: Int
        /// The episode's return under the task (the learner's rewards).
        public var episodeReturn: Double
        /// Longest stretch upright (|α − π| ≤ 0.2) in this exploring episode, s.
        public var longestUprightS: Double
    }

    public let folder: String
    public let learner: SessionLearner
    public let environment: FurutaEnvironment
    public let robot: RobotParameters
    /// The exploration noise of episode `index` (the controller's `ExplorationNoiseSequence`).
    public var noise: (Int, Int) -> [Double]
    public var episodeSteps: Int

    public init(folder: String, learner: SessionLearner, environment: FurutaEnvironment, robot: RobotParameters,
                episodeSteps: Int, noise: @escaping (_ episode: Int, _ steps: Int) -> [Double]) {
        self.folder = folder
        self.learner = learner
        self.environment = environment
        self.robot = robot
        self.episodeSteps = episodeSteps
        self.noise = noise
    }

    /// The newest candidate in the folder.
    public func newestCandidate() -> String? {
        let directory = folder + "/candidates"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasPrefix("candidate-") && $0.hasSuffix(".policy") }.sorted()
        return names.last.map { directory + "/" + $0 }
    }

    /// Plays robot episode `index` (`episodeSteps` control steps) with the newest candidate,
    /// then lets the learner poll and publish. Where the arm leaves its travel the simulated
    /// pendulum is reset (on the robot the safety layer brakes it instead), so one robot
    /// episode may be several files: episode-INDEX-PART.csv.
    public func step(episode index: Int) throws -> EpisodeOutcome {
        guard let path = newestCandidate() else { throw RecordedEpisode.Failure(description: "no candidate policy in \(folder)/candidates") }
        let policy = try FrozenPolicy(try PolicyFile(contentsOfFile: path))
        let directory = folder + "/episodes"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let noise = noise(index, episodeSteps)
        var played = 0, part = 0, transitions = 0
        var episodeReturn = 0.0, longest = 0.0
        while played < episodeSteps {
            part += 1
            let rows = SimulatedRobotEpisode.run(policy: policy, noise: Array(noise[played...]), environment: environment,
                                                 robot: robot, seed: UInt64(index) << 16 | UInt64(part), steps: episodeSteps - played)
            played += max(rows.count, 1)
            var since: Int?
            for (k, row) in rows.enumerated() {
                if SwingUpTask.isUpright(pendulumAngle: row.pendulumAngle) {
                    since = since ?? k
                    longest = max(longest, Double(k - since!) * robot.control.periodS)
                } else {
                    since = nil
                }
            }
            let name = String(format: "episode-%06d-%02d.csv", index, part)
            try RecordedEpisode.csv(steps: rows).write(toFile: directory + "/." + name + ".partial", atomically: false, encoding: .utf8)
            try FileManager.default.moveItem(atPath: directory + "/." + name + ".partial", toPath: directory + "/" + name)
            let recorded = RecordedEpisode.transitions(steps: rows, layout: learner.identity.layout, task: learner.task,
                                                       armLimit: learner.identity.armLimit)
            transitions += recorded.count
            episodeReturn += recorded.reduce(0) { $0 + Double($1.reward) }
        }
        if try learner.poll() > 0 {
            try learner.publish(notes: "simulated session: \(learner.ingested.count) episode files")
        }
        return EpisodeOutcome(index: index, policy: (path as NSString).lastPathComponent, transitions: transitions,
                              episodeReturn: episodeReturn, longestUprightS: longest)
    }
}
