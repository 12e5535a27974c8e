import Controller
import FirmwareLink
import MotorModel
import PolicyFormat
import Simulation
import Twin

/// The loop core's homing closed around the twin's MuJoCo pendulum in simulated time (no pty,
/// no clock): each 10 ms period the loop gets the encoders' quantised counts, and its command
/// reaches the motor `latencySeconds` later. Runs a reset in milliseconds of CPU time, so the
/// active reset can be measured over many starts, latencies and randomised robots.
struct SimulatedReset {
    struct Start {
        var armAngle = 0.0, armVelocity = 0.0, pendulumAngle = 0.0, pendulumVelocity = 0.0
    }

    struct Outcome {
        /// Seconds from the start to the policy engaging; nil when homing did not finish.
        var seconds: Double?
        var fault: SafetyEventKind?
        var farthestArmRad = 0.0
        var brakingTicks = 0
        /// The pendulum's angle from hanging when the policy engaged, rad (wrapped to ±π).
        var pendulumAtStart = 0.0
    }

    let plant: PhysicsPlant
    let limits: SafetyLimits
    let homing: HomingSettings
    let latencySeconds: Double
    let runner: PolicyRunner

    /// - Parameters:
    ///   - actual: the simulated robot (may differ from `nominal`, as a real one does);
    ///   - nominal: what the controller believes (robot.yaml), for its limits and motor model.
    init(plant: PhysicsPlant, nominal: RobotParameters, homing: HomingSettings, latencySeconds: Double) throws {
        self.plant = plant
        limits = SafetyLimits(robot: nominal)
        self.homing = homing
        self.latencySeconds = latencySeconds
        runner = PolicyRunner(policy: try FrozenPolicy(ControllerFixtures.constantPolicy(0, robot: nominal)), motor: nominal.motor)
    }

    /// Puts the pendulum in `start`, then runs homing until the policy engages, a fault, or
    /// `maxSeconds`. `hangingKnown` passes the true hanging angle to homing (as a session does
    /// from its first episode on).
    func run(from start: Start, hangingKnown: Bool = true, maxSeconds: Double = 30,
             trace: ((Double, HomingStage, TickCommand) -> Void)? = nil) throws -> Outcome {
        try plant.physics.reset(armAngle: start.armAngle, pendulumAngle: start.pendulumAngle,
                                armVelocity: start.armVelocity, pendulumVelocity: start.pendulumVelocity)
        var settings = homing
        if hangingKnown { settings.hangingRawPendulumAngle = 0 }
        let period = 0.01
        var configuration = ControlLoopConfiguration(limits: limits, periodSeconds: period)
        configuration.homing = settings
        let loop = ControlLoop(configuration: configuration, runner: runner)
        var duty = 0.0, enabled = true
        var outcome = Outcome()
        var k = 0
        while Double(k) * period < maxSeconds {
            let t = Double(k) * period
            let state = DeviceState(timeMicroseconds: UInt64((t * 1e6).rounded()) + 1_000, armCounts: plant.armCounts,
                                    pendulumCounts: plant.pendulumCounts, lastCommandSequence: UInt16(truncatingIfNeeded: k),
                                    appliedDutyQ15: DutyScale.quantise(enabled ? duty : 0), status: [], mode: enabled ? .armed : .disarmed)
            var record = TickRecord()
            let command = loop.step(TickInput(timeNanoseconds: Int64(k) * 10_000_000, sample: state), record: &record)
            trace?(t, loop.homing.stage, command)
            outcome.farthestArmRad = max(outcome.farthestArmRad, abs(plant.physics.armAngle))
            if loop.phase == .running {
                outcome.seconds = t
                let a = plant.physics.pendulumAngle
                outcome.pendulumAtStart = a - 2 * .pi * (a / (2 * .pi)).rounded()
                break
            }
            if loop.phase != .homing {
                outcome.fault = loop.latchedFault
                break
            }
            plant.advance(duty: enabled ? duty : 0, seconds: latencySeconds)
            if command.send {
                if command.flags.contains(.emergencyStop) { enabled = false; duty = 0 } else {
                    duty = command.flags.contains(.enable) ? command.duty : 0
                }
            }
            plant.advance(duty: enabled ? duty : 0, seconds: period - latencySeconds)
            k += 1
        }
        outcome.brakingTicks = loop.brakingTicks
        return outcome
    }
}
