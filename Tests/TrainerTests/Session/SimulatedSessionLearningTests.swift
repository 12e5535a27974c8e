import Controller
import Foundation
import Learning
import PolicyFormat
import RobotDescription
import Simulation
import Testing
import Trainer

/// The simulated session writes the log the controller writes. (Whether the learner learns
/// through the folder is a benchmark, `furuta bench session --simulated`: 8 episodes cost
/// 80 000 gradient steps, more than 12 CPU-minutes in a debug build.)
@Suite struct SimulatedSessionLearningTests {
    static let description = try! RobotDescription.load(from: RobotDescription.defaultPath)

    @Test func theControllerLogFormatIsTheOneTheLearnerReads() {
        #expect(RecordedEpisode.header == TelemetryCSV.header)
    }
}
