import ArgumentParser
import CommandLogging
import Controller
import Foundation
import Learning
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
        --physics KEY=VALUE (repeatable, robot.yaml's keys, as `furuta twin --physics`) scores on a
        robot whose physics differ from the description (the policy is still checked against it).
        With --log FILE (repeatable) instead: runs recorded on the robot or the twin
        (`furuta-controller run --log`, a session's episodes/episode-N.csv) judged by the same
        criterion, from the device's clock; only the first 10 s of running count.
        Example: furuta eval --session runs/s1 --episodes 20 --json
        Example: furuta eval --policy p.policy --physics pendulum.mass_kg=0.053
        Example: furuta eval --log run1.csv --log run2.csv --json
        """)

    @Option(help: "The .policy file.")
    var policy: String?
    @Option(help: "A training session folder: score each candidate and latest.policy (instead of --policy).")
    var session: String?
    @Option(help: "Recorded runs to judge (instead of --policy): a controller --log CSV (repeatable).")
    var log: [String] = []
    @Option(name: .customLong("physics"), parsing: .singleValue,
            help: "Physics backend, mujoco (the reference) or analytic; or KEY=VALUE, a robot.yaml value of the simulated robot, e.g. pendulum.mass_kg=0.053 (repeatable).")
    var physicsItems: [String] = []
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

    /// The backend named among `--physics` (MuJoCo when none is).
    var physics: PhysicsBackendName {
        get throws {
            let names = physicsItems.filter { !$0.contains("=") }
            guard let name = names.last else { return .mujoco }
            guard let backend = PhysicsBackendName(rawValue: name) else {
                throw ValidationError("--physics \(name): a backend is mujoco or analytic; a physics value is KEY=VALUE, e.g. pendulum.mass_kg=0.053")
            }
            return backend
        }
    }

    /// The `--physics KEY=VALUE` items as robot.yaml overrides.
    var physicsOverrides: [String: String] {
        get throws { try PhysicsOverrides.parse(physicsItems.filter { $0.contains("=") }) }
    }

    func validate() throws {
        guard [policy != nil, session != nil, !log.isEmpty].filter({ $0 }).count == 1 else {
            throw ValidationError("give one of --policy FILE, --session DIR or --log FILE")
        }
        _ = try physics
        _ = try physicsOverrides
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
        if !log.isEmpty { return try judgeLogs(description: description) }
        guard let policy else { return try runSession(session!, description: description) }
        let result = try score(policy, description: description)
        if json {
            printJSON(result)
        } else {
            print("""
            \(policy): \(result.successes)/\(result.episodes) successful (\(String(format: "%.1f", result.successRate * 100)) %), \
            \(randomized ? "randomised" : try physicsOverrides.isEmpty ? "nominal" : "changed") physics (\(try physics.rawValue)\(try overridesText))
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
        environment.physics = try physics
        var settings = PolicyEvaluation.Settings()
        settings.episodes = episodes
        settings.randomized = randomized
        settings.seed = seed
        let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
        // The robot simulated: the description with --physics KEY=VALUE applied (as `furuta twin --physics`).
        let overrides = try physicsOverrides
        let simulated = overrides.isEmpty ? robotParameters : try loadRobot(robot, overrides: overrides).parameters
        let evaluation = try PolicyEvaluation(robot: simulated, template: template, training: environment, settings: settings)
        return evaluation.run(try FrozenPolicy(file))
    }

    /// ", pendulum.mass_kg=0.053" for the --physics values, "" without.
    var overridesText: String {
        get throws { try physicsOverrides.sorted { $0.key < $1.key }.map { ", \($0.key)=\($0.value)" }.joined() }
    }
}
