import Foundation
import MotorModel
import RobotDescription
import RobotRecording
import Simulation

/// Recordings made without the twin's threads: `PendulumPhysics` (what the twin runs) stepped
/// with a known duty sequence, sampled every control period into encoder counts, each command
/// reaching the motor `latencySteps` physics steps after its sample — a recording whose true
/// robot is known exactly, in milliseconds.
enum SyntheticRecording {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }
    static var robotPath: String { packageRoot.appendingPathComponent("assets/furuta/robot.yaml").path }

    static func description(overrides: [String: String] = [:]) throws -> RobotDescription {
        try RobotDescription.load(from: robotPath, overrides: overrides)
    }

    /// `seconds` of a duty that mixes a sweep and a square wave (scaled by `excitation`; 0: the
    /// robot left at rest), on the robot `truth`, recorded with the identity of `recordedAs`.
    static func make(truth: RobotParameters, recordedAs: RobotParameters, mjcfPath: String, seconds: Double,
                     latencySteps: Int = 2, excitation: Double = 1) throws -> RobotRecording {
        let physics = try PendulumPhysics(template: try MuJoCoModel.load(mjcfPath: mjcfPath), robot: truth)
        try physics.reset()
        let substeps = truth.control.substepsPerControlStep
        let period = truth.control.periodS
        var recording = RobotRecording(header: RecordingHeader(
            robotName: recordedAs.name, robotIdentity: recordedAs.identity,
            armCountsPerRevolution: recordedAs.arm.encoderCountsPerRevolution,
            pendulumCountsPerRevolution: recordedAs.pendulum.encoderCountsPerRevolution,
            controlRateHz: recordedAs.control.rateHz, source: "capture", metadata: [.init("excitation", "synthetic")]))
        var applied = 0.0
        let ticks = Int(seconds / period)
        for k in 0..<ticks {
            let t = Double(k) * period
            let theta = physics.armAngle, thetaDot = physics.armVelocity
            // Sweep 1 → 6 Hz plus a ±0.08 square wave every 0.37 s, with arm centring.
            var u = excitation * (0.15 * sin(2 * Double.pi * (1 * t + 2.5 * t * t / seconds)) + (Int(t / 0.37) % 2 == 0 ? 0.08 : -0.08))
            u += -0.5 * theta - 0.03 * thetaDot
            let command = compensatedDuty(action: min(max(u, -1), 1), truth.motor)
            recording.samples.append(RecordingSample(
                tick: Int64(k), hostTimeNanoseconds: Int64(t * 1e9), deviceTimeMicroseconds: UInt64(1_000_000 + k * 10_000),
                armCounts: truth.arm.encoderCounts(forAngleRad: physics.armAngle),
                pendulumCounts: truth.pendulum.encoderCounts(forAngleRad: physics.pendulumAngle),
                action: u, dutyCommanded: command, dutyApplied: applied))
            for s in 0..<substeps {
                if s == latencySteps { applied = command }
                try physics.step(duty: applied)
            }
        }
        return recording
    }

    static func write(_ recording: RobotRecording) throws -> String {
        let path = NSTemporaryDirectory() + "furuta-sysid-\(UUID().uuidString).rec"
        try recording.write(toFile: path)
        return path
    }
}
