import Foundation
import MotorModel
import RobotRecording
import Simulation
import Testing
@testable import Trainer

/// The replay against recordings whose true robot is known.
struct ReplayTests {
    @Test func replayWithTheTrueRobotMatchesToEncoderResolution() throws {
        let description = try SyntheticRecording.description()
        let recording = try SyntheticRecording.make(truth: description.parameters, recordedAs: description.parameters,
                                                    mjcfPath: description.mjcfPath, seconds: 6)
        let data = ReplayData(recording: recording, file: "synthetic")
        let replay = try Replay(template: MuJoCoModel.load(mjcfPath: description.mjcfPath), robot: description.parameters)
        let loss = replay.loss(data, robot: description.parameters)
        // Angles are quantised to 2π/4096 and 2π/8192 rad, and segments start from quantised
        // angles and finite-difference velocities: a few counts of error, no more.
        let count = 2 * Double.pi / 4096
        #expect(loss < 4 * (3 * count) * (3 * count), "loss \(loss) rad²")
        let (arm, _) = replay.simulate(data, robot: description.parameters)
        #expect(arm.filter(\.isFinite).count >= data.sampleCount - 1)
    }

    @Test func wrongParameterRaisesTheLossByOrdersOfMagnitude() throws {
        let description = try SyntheticRecording.description()
        let recording = try SyntheticRecording.make(truth: description.parameters, recordedAs: description.parameters,
                                                    mjcfPath: description.mjcfPath, seconds: 6)
        let data = ReplayData(recording: recording, file: "synthetic")
        let replay = try Replay(template: MuJoCoModel.load(mjcfPath: description.mjcfPath), robot: description.parameters)
        let right = replay.loss(data, robot: description.parameters)
        for (key, factor) in [("motor.torque_constant_nm_per_a", 1.1), ("pendulum.mass_kg", 0.9), ("motor.deadzone", 1.2)] {
            var wrong = description.parameters
            let parameter = FittableParameters.named(key)!
            parameter.set(parameter.value(in: wrong) * factor, in: &wrong)
            #expect(replay.loss(data, robot: wrong) > 10 * right, "\(key)")
        }
    }

    @Test func segmentsRestartEveryTwoSecondsAndAtClockGaps() throws {
        let description = try SyntheticRecording.description()
        var recording = try SyntheticRecording.make(truth: description.parameters, recordedAs: description.parameters,
                                                    mjcfPath: description.mjcfPath, seconds: 5)
        for i in 300..<recording.samples.count { recording.samples[i].deviceTimeMicroseconds += 500_000 } // a 0.5 s gap at 3 s
        let data = ReplayData(recording: recording, file: "gap")
        #expect(data.segments.map(\.lowerBound) == [0, 200, 300, 500 - 0].filter { $0 < 500 })
    }
}
