import ArgumentParser
import CommandLogging
import Controller
import Foundation
import MotorModel
import PolicyFormat
import RobotDescription

/// `furuta-controller rehearse`: the deployment rehearsed before the robot. N episodes of the
/// real `furuta-controller run` against `furuta twin` subprocesses with physics drawn within the
/// policy's randomisation ranges, latency within the declared range, injected faults and a
/// CPU hog on every core; a table of pass rates, a record beside the policy.
struct RehearseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Rehearse a deployment on randomised twins (physics, latency, faults, CPU load) and report pass rates.",
        discussion: """
            Needs `furuta` next to this binary (swift build --product furuta): each episode starts \
            `furuta twin` as a subprocess, so this binary itself never links MuJoCo. Physics ranges come \
            from the training run's config.yaml beside the policy (DIR/config.yaml, or FILE minus \
            .policy plus .config.yaml), else the trainer's defaults; latency is drawn from 0 to twice \
            robot.yaml's control.latency_s, within the policy's trained range. Conditions take turns: \
            nominal, drops (1 % of frames), corruption (0.1 % of bytes), usb_jitter (921600 baud, 1 ms \
            USB frames, jitter, spikes), brownout (a device reset mid-run must end in a confirmed stop).
            Writes FILE.rehearsal.json; exits 4 when the pass rate is below --threshold.
            Example: furuta-controller rehearse --policy runs/a/final.policy --episodes 20
            Details: docs/controller.md ("Rehearsal").
            """
    )

    @Option(help: "The .policy file to rehearse.")
    var policy: String

    @Option(help: "Number of episodes.")
    var episodes = 20

    @Flag(help: "Print the record as JSON on stdout (the table goes to stderr).")
    var json = false

    @Option(help: "robot.yaml the policy must fit (default: the bundled robot).")
    var robot: String?

    @Option(name: .customLong("training-config"), help: "The training configuration whose randomisation ranges to use (default: found beside the policy).")
    var trainingConfig: String?

    @Option(help: "Seconds of policy per episode.")
    var seconds = 8.0

    @Option(name: .customLong("upright-seconds"), help: "Seconds the pendulum must stay upright in an episode to pass.")
    var uprightSeconds = 4.0

    @Option(help: "Lowest pass rate that exits 0.")
    var threshold = 0.95

    @Option(help: "Busy threads loading the CPU during every episode (default: one per core; 0: none).")
    var load: Int?

    @Option(name: .customLong("load-nice"), help: "Nice value of the busy threads (0 is the harshest; see docs/controller.md).")
    var loadNice: Int32 = 10

    @Option(help: "Seed of the episode plan.")
    var seed: UInt64 = 12

    func validate() throws {
        guard episodes > 0 else { throw ValidationError("--episodes takes a positive count, e.g. --episodes 20") }
        guard seconds > 0, uprightSeconds >= 0, uprightSeconds <= seconds else {
            throw ValidationError("--seconds must be positive and --upright-seconds between 0 and --seconds")
        }
        guard (-20...19).contains(loadNice) else { throw ValidationError("--load-nice takes -20…19, e.g. --load-nice 10") }
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold is a pass rate from 0 to 1, e.g. 0.95") }
        if let load, load < 0 { throw ValidationError("--load takes a thread count, 0 for none") }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let (_, description) = try CommandInputs.robot(robot)
        let file: PolicyFile
        do { file = try PolicyFile(contentsOfFile: policy) } catch {
            throw ControllerFailure(.invalidPolicy(path: policy, error))
        }
        let mismatches = PolicyCompatibility.mismatches(policy: file, robot: description.parameters)
        if !mismatches.isEmpty {
            throw ControllerFailure(.policyMismatch(policy: policy, robot: description.parameters.name, mismatches: mismatches))
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let twinPath = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("furuta").path
        guard FileManager.default.isExecutableFile(atPath: twinPath) else {
            throw ValidationError("rehearse needs `furuta` next to this binary (\(twinPath)) to run the twins: swift build --product furuta")
        }
        let configPath = trainingConfig ?? Self.trainingConfig(besidePolicy: policy)
        let absolutePolicy = URL(fileURLWithPath: policy).standardizedFileURL.path
        let work = NSTemporaryDirectory() + "furuta-rehearse-\(getpid())"
        var settings = RehearsalSettings(policyPath: absolutePolicy, twinExecutable: twinPath,
                                         controllerExecutable: executable, workDirectory: work)
        settings.robotPath = robot
        settings.trainingConfigPath = configPath
        settings.runSeconds = seconds
        settings.requiredUprightSeconds = uprightSeconds

        let range = RehearsalPlan.latencyRange(declaredSeconds: description.parameters.control.latencyS, trained: file.trainedLatency)
        let plan = RehearsalPlan(episodes: episodes, latencyRange: range, seed: seed)
        let hog = CPUHog(threads: load ?? ProcessInfo.processInfo.activeProcessorCount, nice: loadNice)
        let loadThreads = load == 0 ? 0 : hog.threads
        say("rehearse: \(episodes) episodes of \(policy), latency \(Self.ms(range.lowerBound))–\(Self.ms(range.upperBound)) ms, "
            + "physics from \(configPath ?? "the trainer's default ranges"), \(loadThreads) busy threads at nice \(loadNice); work in \(work)")
        if file.trainedLatency == nil { logger.warning("rehearse: the policy records no trained latency range (format version 1)") }

        let started = Date()
        var results: [RehearsalEpisodeResult] = []
        if loadThreads > 0 { hog.start() }
        for spec in plan.episodes {
            let result = RehearsalEpisode.run(spec, settings: settings)
            results.append(result)
            say("rehearse: episode \(spec.index + 1)/\(episodes) \(spec.condition.rawValue) latency \(Self.ms(spec.latencySeconds)) ms: "
                + (result.passed ? "pass" : "FAIL: \(result.reason)")
                + (result.longestUprightS.map { String(format: ", upright %.1f s", $0) } ?? "")
                + (result.roundTripMedianMs.map { String(format: ", round trip %.2f ms", $0) } ?? "")
                + (result.twinDeadlineMisses.map { ", twin deadline misses \($0)" } ?? ""))
        }
        if loadThreads > 0 { hog.stop() }

        var report = RehearsalReport(policy: absolutePolicy, trainingConfig: configPath, threshold: threshold, loadThreads: loadThreads,
                                     latencyRange: range,
                                     trainedLatencyMs: file.trainedLatency.map { [$0.minimumSeconds * 1000, $0.maximumSeconds * 1000] },
                                     results: results, workDirectory: work, wallSeconds: Date().timeIntervalSince(started))
        report.loadNice = loadNice
        let data = try report.json()
        let recordPath = policy + ".rehearsal.json"
        do { try data.write(to: URL(fileURLWithPath: recordPath), options: .atomic) } catch {
            logger.warning("rehearse: cannot write the record \(recordPath): \(error)")
        }
        if json { FileHandle.standardError.write(Data((report.table + "\n").utf8)) }
        say("rehearse: record written to \(recordPath)")
        if json {
            FileHandle.standardOutput.write(data)
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            print(report.table)
        }
        if !report.meetsThreshold { throw ExitCode(4) }
    }

    /// DIR/config.yaml beside DIR/final.policy (what `furuta train --out DIR` writes), or
    /// NAME.config.yaml beside NAME.policy.
    static func trainingConfig(besidePolicy path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let candidates = [url.deletingPathExtension().appendingPathExtension("config.yaml").path,
                          url.deletingLastPathComponent().appendingPathComponent("config.yaml").path]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

    /// Progress is logged (stderr), so stdout holds only the table (or, with --json, the record).
    private func say(_ line: String) { logger.info("\(line)") }
}
