import Foundation
import MotorModel
import RobotDescription
import Testing
@testable import Trainer

/// Two recordings that no single robot explains — the second robot's torque constant is 12 %
/// above the first's, as if the replay mis-modelled something one excitation stresses — must
/// not give a torque constant reported identifiable: each recording pins it, they disagree.
struct MismatchTests {
    @Test func recordingsThatDisagreeMakeAParameterUnidentifiable() throws {
        let description = try SyntheticRecording.description()
        let nominal = description.parameters
        var first = nominal, second = nominal
        first.motor.torqueConstantNmPerA *= 0.95
        second.motor.torqueConstantNmPerA *= 0.95 * 1.12
        let paths = try [first, second].map { truth in
            try SyntheticRecording.write(SyntheticRecording.make(truth: truth, recordedAs: nominal,
                                                                 mjcfPath: description.mjcfPath, seconds: 4))
        }
        defer { for p in paths { unlink(p) } }
        let kt = try fittedTorqueConstant(description: description, recordingPaths: paths)
        #expect(!kt.identifiable, "\(kt)")
        #expect(kt.reason?.hasPrefix("recordings disagree") == true, "\(kt.reason ?? "identifiable")")
        #expect(kt.mismatchSpread > 0.02 * kt.value, "\(kt)")
    }

    /// The same two recordings of one robot: no disagreement beyond noise.
    @Test func recordingsOfOneRobotAgree() throws {
        let description = try SyntheticRecording.description()
        let nominal = description.parameters
        var truth = nominal
        truth.motor.torqueConstantNmPerA *= 0.95
        let paths = try [4.0, 3.0].map { seconds in
            try SyntheticRecording.write(SyntheticRecording.make(truth: truth, recordedAs: nominal,
                                                                 mjcfPath: description.mjcfPath, seconds: seconds))
        }
        defer { for p in paths { unlink(p) } }
        let kt = try fittedTorqueConstant(description: description, recordingPaths: paths)
        #expect(kt.identifiable, "\(kt)")
        #expect(abs(kt.value / truth.motor.torqueConstantNmPerA - 1) < 0.01, "\(kt)")
    }

    /// The torque constant's entry after a fit of it and the deadzone (refinement only, no
    /// CMA-ES generations) on `recordingPaths`.
    private func fittedTorqueConstant(description: RobotDescription,
                                      recordingPaths: [String]) throws -> Identifiability.Entry {
        var request = SystemIdentification.FitRequest(description: description, recordingPaths: recordingPaths)
        request.parameterItems = ["motor.torque_constant_nm_per_a", "motor.deadzone"]
        request.options.maxGenerations = 0
        request.options.timeBudgetSeconds = 60
        request.threads = 2
        let outcome = try SystemIdentification.fit(request)
        return try #require(outcome.identifiability.entries.first { $0.key == "motor.torque_constant_nm_per_a" })
    }
}
