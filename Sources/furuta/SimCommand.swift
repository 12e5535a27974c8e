import ArgumentParser
import CommandLogging
import Foundation
import MotorModel
import Learning
import RegularFiles
import RobotDescription
import Simulation

/// `furuta sim`: one episode with a scripted action, written as a CSV trajectory.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Simulate one episode with a scripted action and write the trajectory as CSV.",
        discussion: """
        The action goes through the same chain as a policy's: motor compensation, action delay,
        the motor model, MuJoCo, encoder quantisation and the observation builder.
        Example: furuta sim --action energy --seconds 10 --out swing.csv
        """)

    @OptionGroup var robotOptions: RobotOptions
    var robot: String { robotOptions.robot }
    @Option(help: "Scripted action: \(ScriptedPolicy.allCases.map(\.rawValue).joined(separator: ", ")).")
    var action: String = "zero"
    @Option(help: "Amplitude of the sine action.")
    var amplitude: Double = 0.15
    @Option(help: "Frequency of the sine, Hz.")
    var frequency: Double = 1.0
    @Option(help: "Episode length, seconds.")
    var seconds: Double = 5
    @Option(help: "Initial pendulum angle, rad (0 hanging, 3.14 upright).")
    var startAngle: Double = 0
    @Flag(help: "Randomise the physics as in training (default: the nominal robot).")
    var randomized = false
    @Option(help: "Random seed.")
    var seed: UInt64 = 0
    @Option(help: "CSV file to write ('-' for standard output).")
    var out: String = "sim.csv"

    func validate() throws {
        guard ScriptedPolicy(rawValue: action) != nil else {
            throw ValidationError("unknown action '\(action)'; use one of \(ScriptedPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        try NumberRange.above(0, upTo: 3600).check("--seconds", seconds)
        try NumberRange.closed(-2 * .pi, 2 * .pi).check("--start-angle", startAngle)
        try NumberRange.closed(0, 1).check("--amplitude", amplitude)
        try NumberRange.closed(0, 1000).check("--frequency", frequency)
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let description = try loadRobot(robot)
        if out != "-" {
            do { try RegularFile.checkReplaceable(out) } catch { throw CommandFailure("--out \(error)") }
        }
        let robotParameters = description.parameters
        let period = robotParameters.control.periodS
        guard seconds / period <= 1_000_000 else {
            throw CommandFailure("--seconds \(NumberRange.format(seconds)) at \(NumberRange.format(robotParameters.control.rateHz)) Hz is more than 1000000 control steps (rows); simulate a shorter stretch")
        }
        var config = EnvironmentConfig()
        config.count = 1
        config.threads = 1
        // One period longer than the simulated stretch, so the time limit never auto-resets the
        // env inside it: every row is a state the episode reached.
        config.task.episodeSeconds = seconds + period
        config.task.startPendulumAngle = startAngle
        config.task.initialAngleNoise = 0
        config.task.initialVelocityNoise = 0
        if !randomized { config.randomization = nil }
        let env = try FurutaEnvironment(description: description, config: config)
        let policy = ScriptedPolicy(rawValue: action)!
        env.reset(seed: seed)
        var rows = ["time_s,action,duty,arm_angle_rad,pendulum_angle_rad,arm_velocity_rad_s,pendulum_velocity_rad_s,obs_arm_angle_rad,obs_arm_velocity_rad_s,obs_pendulum_velocity_rad_s,reward"]
        var actionBuffer: [Float] = [0]
        var upright = 0.0, maxAngle = 0.0, total = 0.0
        let steps = Int((seconds / period).rounded())
        var ended = "time limit"
        for k in 0..<steps {
            let t = Double(k) * period
            let a = policy.action(time: t, observation: env.observations, robot: robotParameters,
                                  amplitude: amplitude, frequencyHz: frequency)
            actionBuffer[0] = Float(a)
            actionBuffer.withUnsafeBufferPointer { env.step(actions: $0) }
            total += Double(env.rewards[0])
            if env.terminated[0] == 1 {
                // The env has already reset itself: its state is the next episode's first, not
                // the one that left the travel, so that row is not written.
                ended = "arm left its travel at \(String(format: "%.2f", t + period)) s"
                break
            }
            let o = env.observations
            let s = env.state(of: 0)
            if SwingUpTask.isUpright(pendulumAngle: s.pendulumAngle) { upright += period }
            maxAngle = max(maxAngle, abs(s.pendulumAngle))
            rows.append([t + period, a, env.lastAppliedDuty(of: 0), s.armAngle, s.pendulumAngle, s.armVelocity,
                         s.pendulumVelocity, Double(o[0]), Double(o[1]), Double(o[4]), Double(env.rewards[0])]
                .map { String(format: "%.6g", $0) }.joined(separator: ","))
        }
        let csv = rows.joined(separator: "\n") + "\n"
        if out == "-" {
            print(csv, terminator: "")
        } else {
            do { try RegularFile.write(csv, to: out) } catch { throw CommandFailure("--out \(error)") }
            print("""
            simulated \(rows.count - 1) control steps (\(String(format: "%.2f", Double(rows.count - 1) * period)) s) with action '\(action)', ended by \(ended)
            largest pendulum angle \(String(format: "%.3f", maxAngle)) rad, upright (±0.2 rad) for \(String(format: "%.2f", upright)) s, return \(String(format: "%.2f", total))
            trajectory written to \(out)
            """)
        }
    }
}
