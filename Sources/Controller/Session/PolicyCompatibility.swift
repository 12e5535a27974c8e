import MotorModel
import PolicyFormat

/// The checks that decide whether a policy may run on a robot: the policy file records what it
/// was trained for, and all of it must equal the robot description.
public enum PolicyCompatibility {
    /// Every mismatch between `policy` and `robot`, worded for the user; empty when compatible.
    public static func mismatches(policy: PolicyFile, robot: RobotParameters) -> [String] {
        var found: [String] = []
        if policy.robotIdentity != robot.identity {
            found.append("robot identity: the policy was trained for \"\(policy.robotName)\" (identity \(hex(policy.robotIdentity))), "
                + "this description \"\(robot.name)\" has identity \(hex(robot.identity)) (a physical value differs)")
        }
        if policy.controlRateHz != robot.control.rateHz {
            found.append("control rate: the policy runs at \(format(policy.controlRateHz)) Hz, the robot at \(format(robot.control.rateHz)) Hz")
        }
        let layout = policy.observationLayout
        if layout.armCountsPerRevolution != robot.arm.encoderCountsPerRevolution {
            found.append("arm encoder: the policy's observation layout assumes \(layout.armCountsPerRevolution) counts/rev, "
                + "the robot has \(robot.arm.encoderCountsPerRevolution)")
        }
        if layout.pendulumCountsPerRevolution != robot.pendulum.encoderCountsPerRevolution {
            found.append("pendulum encoder: the policy's observation layout assumes \(layout.pendulumCountsPerRevolution) counts/rev, "
                + "the robot has \(robot.pendulum.encoderCountsPerRevolution)")
        }
        if layout.actionCount != 1 {
            found.append("actions: the policy outputs \(layout.actionCount) actions, the Furuta pendulum has one motor")
        }
        return found
    }

    static func hex(_ value: UInt64) -> String { "0x" + String(value, radix: 16) }
    static func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
