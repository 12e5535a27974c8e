import Controller
import FirmwareLink
import MotorModel

/// The arm alone in memory, for driving the loop core with the worst inputs: robot.yaml's motor
/// chain (`MotorChain`: drive nonlinearity, lag, back-EMF, current limit, friction) turning the
/// arm's inertia J_a, integrated at 0.25 ms; a command reaches the motor `latency` after the
/// sample it answers; states carry quantised counts like the firmware's.
struct ArmPlant {
    let robot: RobotParameters
    var chain: MotorChain
    var angle: Double
    var velocity: Double
    var duty = 0.0
    var enabled = true
    var timeSeconds = 0.0
    /// Largest |θ| reached, rad.
    private(set) var farthest = 0.0

    init(robot: RobotParameters, angle: Double = 0, velocity: Double = 0) {
        self.robot = robot
        chain = MotorChain(parameters: robot.motor)
        self.angle = angle
        self.velocity = velocity
        farthest = abs(angle)
    }

    mutating func advance(seconds: Double) {
        let dt = 0.000_25
        var left = seconds
        while left > 1e-12 {
            let h = min(dt, left)
            let torque = chain.step(duty: enabled ? duty : 0, armVelocityRadPerS: velocity, dtS: h)
            velocity += torque / robot.armAxisInertiaKgM2 * h
            angle += velocity * h
            farthest = max(farthest, abs(angle))
            timeSeconds += h
            left -= h
        }
    }

    /// Applies what the loop sent (`.nothing` holds the last duty, as the firmware does).
    mutating func apply(_ command: TickCommand) {
        guard command.send else { return }
        if command.flags.contains(.emergencyStop) {
            duty = 0
            enabled = false
            return
        }
        duty = command.flags.contains(.enable) ? command.duty : 0
    }

    /// The state the firmware would send now.
    func state(sequence: UInt16 = 0) -> DeviceState {
        DeviceState(timeMicroseconds: UInt64((timeSeconds * 1e6).rounded()) + 1_000,
                    armCounts: robot.arm.encoderCounts(forAngleRad: angle), pendulumCounts: 0,
                    lastCommandSequence: sequence, appliedDutyQ15: DutyScale.quantise(enabled ? duty : 0), status: [],
                    mode: enabled ? .armed : .disarmed)
    }
}
