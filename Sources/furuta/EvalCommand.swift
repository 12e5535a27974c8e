import ArgumentParser
import CommandLogging
import Controller
import Foundation
import PolicyFormat
import RobotDescription
import Simulation
import Trainer

/// `furuta eval`: score a policy file against the deployment criterion in simulation.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a .policy file: success rate, mean return, upright time.",
        discussion: """
        Success: the pendulum within 0.2 rad of upright for the whole last 5 s of a 10 s episode,
        with the arm inside its limits. The policy runs through FrozenPolicy, exactly as deployed,
        on MuJoCo (the reference) unless --physics analytic (the closed-form physics PPO trains on:
        the same episodes, to compare a policy's score across the two).
        With --session DIR instead of --policy: every candidate of a training session
        (DIR/candidates/candidate-N.policy) and DIR/latest.policy, each on the same episodes.
        Example: furuta eval --session runs/s1 --episodes 20 --json
        """)

    @Option(help: "The .policy file.")
    var policy: String?
    @Option(help: "A training session folder: score each candidate and latest.policy (instead of --policy).")
    var session: String?
    @Option(help: "Physics backend: mujoco (the reference) or analytic.")
    var physics: PhysicsBackendName = .mujoco
    @Option(help: "Episodes.")
    var episodes: Int = 100
    @Flag(help: "Randomise the physics per episode as in training.")
    var randomized = false
    @Option(help: "Seed of initial states and physics.")
    var seed: UInt64 = 12345
    @OptionGroup var robotOptions: RobotOptions
    var robot: String { robotOptions.robot }
    @Option(help: "Encoder noise in counts (as in training).")
    var encoderNoise: Double = EnvironmentConfig().encoderNoiseCounts
    @OptionGroup var output: OutputOptions
    var json: Bool { output.json }

    func validate() throws {
        guard (policy == nil) != (session == nil) else { throw ValidationError("give either --policy FILE or --session DIR") }
        try NumberRange.closed(1, 100_000).check("--episodes", episodes)
        try NumberRange.closed(0, 10_000).check("--encoder-noise", encoderNoise)
    }

    @OptionGroup var logging: LogLevelOptions

    /// One scored policy of a session.
    struct SessionEntry: Encodable {
        var policy: String
        var result: PolicyEvaluation.Result
    }

    func run() throws {
        logging.apply()
        let description = try loadRobot(robot)
        guard let policy else { return try runSession(session!, description: description) }
        let result = try score(policy, description: description)
        if json {
            printJSON(result)
        } else {
            print("""
            \(policy): \(result.successes)/\(result.episodes) successful (\(String(format: "%.1f", result.successRate * 100)) %), \
            \(randomized ? "randomised" : "nominal") physics (\(physics.rawValue))
            mean return \(String(format: "%.1f", result.meanReturn)), upright \(String(format: "%.2f", result.meanUprightS)) s per episode, \
            \(result.armLimitExits) arm-limit exits
            """)
        }
    }

    /// Every candidate of `folder` in number order, then latest.policy.
    func runSession(_ folder: String, description: RobotDescription) throws {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/candidates")) ?? [])
            .filter { $0.hasPrefix("candidate-") && $0.hasSuffix(".policy") }.sorted()
        var paths = names.map { folder + "/candidates/" + $0 }
        if FileManager.default.fileExists(atPath: folder + "/latest.policy") { paths.append(folder + "/latest.policy") }
        guard !paths.isEmpty else {
            throw CommandFailure("\(folder) holds no candidates/candidate-N.policy and no latest.policy: is it a session folder (furuta learn --session)?")
        }
        var entries: [SessionEntry] = []
        for path in paths {
            let result = try score(path, description: description)
            entries.append(SessionEntry(policy: path, result: result))
            if !json {
                print("\((path as NSString).lastPathComponent): \(result.successes)/\(result.episodes) successful "
                      + "(\(String(format: "%.1f", result.successRate * 100)) %), mean return \(String(format: "%.1f", result.meanReturn)), "
                      + "upright \(String(format: "%.2f", result.meanUprightS)) s")
            }
        }
        if json { printJSON(entries) }
    }

    func score(_ policy: String, description: RobotDescription) throws -> PolicyEvaluation.Result {
        let file: PolicyFile
        do { file = try PolicyFile(contentsOfFile: policy) } catch {
            let text = error.description
            throw CommandFailure(text.hasPrefix(policy) ? text : "\(policy): \(text)")
        }
        let robotParameters = description.parameters
        // The same checks as `furuta-controller run`: a policy for another robot, rate or
        // encoder resolution would be scored on physics it was never trained for.
        let mismatches = PolicyCompatibility.mismatches(policy: file, robot: robotParameters)
        guard mismatches.isEmpty else {
            throw CommandFailure("\(policy) does not fit \(description.sourcePath):\n"
                + mismatches.map { "  - \($0)" }.joined(separator: "\n"))
        }
        var environment = EnvironmentConfig()
        environment.historyLength = file.observationLayout.historyLength
        environment.velocitySmoothing = file.observationLayout.velocitySmoothing
        environment.encoderNoiseCounts = encoderNoise
        environment.physics = physics
        var settings = PolicyEvaluation.Settings()
        settings.episodes = episodes
        settings.randomized = randomized
        settings.seed = seed
        let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
        let evaluation = try PolicyEvaluation(robot: robotParameters, template: template, training: environment, settings: settings)
        return evaluation.run(try FrozenPolicy(file))
    }
}
