import Controller
import Foundation
import Learning
import PolicyFormat
import RobotDescription
import Simulation
import Testing
import Trainer

/// The robot session's learner, fed through the session folder with episodes played as the
/// controller plays them (deterministic policy + the controller's AR(1) exploration, its log
/// format), learns the swing-up: the untrained first candidate is the baseline.
@Suite struct SimulatedSessionLearningTests {
    static let description = try! RobotDescription.load(from: RobotDescription.defaultPath)

    @Test func theControllerLogFormatIsTheOneTheLearnerReads() {
        #expect(RecordedEpisode.header == TelemetryCSV.header)
    }

    @Test func eightEpisodesOfTenSecondsThroughTheFolderLearnTheSwingUpFromScratch() throws {
        let robot = Self.description.parameters
        let folder = NSTemporaryDirectory() + "furuta-simulated-session-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var sac = SACConfig()
        sac.learningStarts = 500
        var task = TrainingConfig.defaults(for: .sac).environment.task
        task.episodeSeconds = 10
        let layout = FurutaEnvironment.layout(for: robot, config: EnvironmentConfig())
        let identity = SessionLearner.Identity(layout: layout, robotIdentity: robot.identity, robotName: robot.name,
                                               controlRateHz: robot.control.rateHz, armLimit: robot.arm.softLimitRad)
        let learner = SessionLearner(folder: folder, identity: identity, config: sac, task: task)
        let baselinePath = try learner.publish(notes: "untrained")

        var config = EnvironmentConfig()
        config.count = 1
        config.threads = 1
        config.randomization = nil
        config.task.episodeSeconds = 1e6
        let template = try MuJoCoModel.load(mjcfPath: Self.description.mjcfPath)
        let environment = try FurutaEnvironment(robot: SimulatedRobotEpisode.environmentRobot(robot), template: template, config: config)
        let exploration = ExplorationNoiseSequence()
        let session = SimulatedSession(folder: folder, learner: learner, environment: environment, robot: robot, episodeSteps: 1000) {
            exploration.values(count: $1, seed: UInt64($0))
        }
        for index in 1...8 { _ = try session.step(episode: index) }
        #expect(learner.ingested.count >= 8)
        #expect(learner.learner.replay.added > 7000) // most of 8 × 1000 steps: the arm rarely left its travel

        var settings = PolicyEvaluation.Settings()
        settings.episodes = 8
        settings.randomized = false
        settings.threads = 1
        let evaluation = try PolicyEvaluation(robot: robot, template: template, training: EnvironmentConfig(), settings: settings)
        let baseline = evaluation.run(try FrozenPolicy(try PolicyFile(contentsOfFile: baselinePath)))
        let learned = evaluation.run(try FrozenPolicy(try PolicyFile(contentsOfFile: try #require(session.newestCandidate()))))
        #expect(baseline.successes == 0)
        #expect(learned.successRate >= 0.75, "learned \(learned), baseline \(baseline)")
        #expect(learned.meanUprightS > baseline.meanUprightS + 5)
    }
}
