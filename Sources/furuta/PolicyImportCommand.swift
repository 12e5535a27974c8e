import ArgumentParser
import CommandLogging
import Foundation
import RegularFiles
import PolicyFormat
import PolicyInterop

/// `furuta policy import CHECKPOINT --out FILE.policy`.
struct PolicyImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn a Stable-Baselines3 (.zip) or rsl_rl (.pt) checkpoint with an MLP actor into a .policy for a robot.",
        discussion: """
        Reads the checkpoint without PyTorch. Stable-Baselines3: PPO, A2C or SAC MlpPolicy on a flat \
        Box observation (give --vec-normalize with the VecNormalize statistics it was trained with). \
        rsl_rl: an MLP actor with a Gaussian head; its observation normaliser is included; the \
        activation is not stored in the checkpoint, so declare it (--activation, default elu). \
        The observation layout is declared with --observation and --history and must match the \
        network's input size; the robot identity, rate and encoders come from --robot. \
        Recurrent actors, CNNs and unsupported activations are refused by name.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case sb3
        case rslRl = "rsl_rl"
    }

    @Argument(help: "The checkpoint: a Stable-Baselines3 model.zip or an rsl_rl model_N.pt.")
    var checkpoint: String
    @Option(help: "The .policy file to write.")
    var out: String
    @Option(help: "Checkpoint kind (default: sb3 for .zip, rsl_rl for .pt/.pth).")
    var format: Format?
    @Option(help: "Stable-Baselines3 VecNormalize statistics (the .pkl VecNormalize.save wrote).")
    var vecNormalize: String?
    @Option(help: "Comma-separated observation features, in the network's input order: \(ObservationFeature.allCases.map(\.interopName).joined(separator: ", ")).")
    var observation: String = ObservationFeature.standard.map(\.interopName).joined(separator: ",")
    @Option(help: "Past (features, action) pairs after the current features.")
    var history: Int = 0
    @Option(help: "Velocity estimate smoothing β in (0, 1] the policy was trained with.")
    var velocitySmoothing: Double = 0.5
    @Option(help: "rsl_rl only: the actor's hidden activation (tanh, relu, elu, identity).")
    var activation: String?
    @Option(help: "rsl_rl only: actions are clamped to ±this.")
    var actionLimit: Double = 1
    @Option(help: "Sensor-to-actuation latency range the policy was trained for, ms, as MIN,MAX.")
    var trainedLatencyMs: String?
    @Option(help: "Robot description (YAML).")
    var robot: String = RobotDescriptionDefault.path

    func validate() throws {
        guard history >= 0 else { throw ValidationError("--history must be 0 or more") }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let description = try loadRobot(robot)
        let parameters = description.parameters
        let features: [ObservationFeature]
        do { features = try ObservationFeature.parseList(observation) } catch { throw CommandFailure("--observation: \(error)") }
        let layout = ObservationLayout(features: features, historyLength: history, actionCount: 1,
                                       armCountsPerRevolution: parameters.arm.encoderCountsPerRevolution,
                                       pendulumCountsPerRevolution: parameters.pendulum.encoderCountsPerRevolution,
                                       velocitySmoothing: velocitySmoothing)
        if let problem = layout.problems.first { throw CommandFailure("declared observation layout: \(problem)") }
        let target = ImportTarget(robotIdentity: parameters.identity, robotName: parameters.name,
                                  controlRateHz: parameters.control.rateHz, layout: layout,
                                  trainedLatency: try latency())
        let kind = format ?? (checkpoint.hasSuffix(".zip") ? .sb3 : .rslRl)
        let bytes = try read(checkpoint)
        let policy: PolicyFile
        do {
            switch kind {
            case .sb3:
                if activation != nil { throw CommandFailure("--activation is for rsl_rl; a Stable-Baselines3 archive records its activation") }
                policy = try StableBaselines3Import.policy(archive: bytes, label: checkpoint, vecNormalize: try vecNormalize.map(read),
                                                           vecNormalizeLabel: vecNormalize ?? "", target: target)
            case .rslRl:
                if vecNormalize != nil { throw CommandFailure("--vec-normalize is for Stable-Baselines3; rsl_rl keeps its normaliser in the checkpoint") }
                policy = try RslRlImport.policy(checkpoint: bytes, label: checkpoint, activation: activation ?? "elu",
                                                actionLimit: actionLimit, target: target)
            }
        } catch let error as PolicyImportError {
            throw CommandFailure(error.description)
        }
        do { try policy.write(toFile: out) } catch { throw CommandFailure("\(out): \(error)") }
        let shape = ([layout.size] + policy.layers.map(\.outputCount)).map(String.init).joined(separator: " → ")
        print("wrote \(out): \(policy.provenance.other["imported_from"] ?? "") \(policy.provenance.algorithm ?? "") actor \(shape), "
              + "activations \(policy.layers.map(\.activation.name).joined(separator: ",")), squash \(policy.actionScaling.squash == .clip ? "clip" : "tanh"), "
              + "for \(parameters.name) at \(parameters.control.rateHz) Hz")
    }

    private func read(_ path: String) throws -> [UInt8] {
        // Regular files only, capped: a FIFO or device is named, never read forever.
        do { return try RegularFile.read(path, limit: 1 << 30, what: "a checkpoint (a zip or .pt archive, or a pickle)") } catch {
            throw CommandFailure("\(error)")
        }
    }

    private func latency() throws -> TrainedLatency? {
        guard let trainedLatencyMs else { return nil }
        let parts = trainedLatencyMs.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2 else { throw CommandFailure("--trained-latency-ms takes MIN,MAX in milliseconds, e.g. 0,8") }
        return TrainedLatency(minimumSeconds: parts[0] / 1000, maximumSeconds: parts[1] / 1000)
    }
}
