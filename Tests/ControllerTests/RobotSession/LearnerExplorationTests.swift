import Controller
import Foundation
import Testing

/// The exploration a learner hands over with a candidate is applied within the controller's
/// own maxima.
@Suite struct LearnerExplorationTests {
    static let maxima = ExplorationNoiseSequence(sigma: 0.3, correlation: 0.95, bound: 0.5)

    @Test func aRequestIsClampedToTheControllersMaximaFieldByField() {
        let modest = ExplorationNoiseSequence(sigma: 0.1, correlation: 0.8, bound: 0.4)
        #expect(modest.limited(by: Self.maxima) == modest)
        let greedy = ExplorationNoiseSequence(sigma: 0.9, correlation: 0.999, bound: 1)
        #expect(greedy.limited(by: Self.maxima) == Self.maxima)
        let broken = ExplorationNoiseSequence(sigma: .nan, correlation: -1, bound: .infinity)
        #expect(broken.limited(by: Self.maxima) == ExplorationNoiseSequence(sigma: 0.3, correlation: 0, bound: 0.5))
    }

    @Test func anAcceptedCandidateBringsItsExplorationAndOneWithoutFallsBackToTheControllers() throws {
        let robot = try ControllerFixtures.robot().parameters
        let folder = try ControllerFixtures.sessionFolderWithStillPolicy(robot: robot, "exploration")
        try #"{"sigma": 0.12, "correlation": 0.9, "bound": 0.3, "source": "test"}"#
            .write(toFile: folder.candidateExploration(1), atomically: true, encoding: .utf8)
        var settings = RobotTrainingSession.Settings(port: .path("/dev/null"), folder: folder)
        settings.exploration = Self.maxima
        let session = RobotTrainingSession(settings: settings, robot: robot)
        session.adoptNewestCandidate()
        #expect(session.state.currentPolicy == "candidate-000001.policy")
        #expect(session.state.learnerExploration == ExplorationNoiseSequence(sigma: 0.12, correlation: 0.9, bound: 0.3))

        try ControllerFixtures.constantPolicy(0, robot: robot).write(toFile: folder.candidate(2))
        session.adoptNewestCandidate()
        #expect(session.state.currentPolicy == "candidate-000002.policy")
        #expect(session.state.learnerExploration == nil)
    }
}
