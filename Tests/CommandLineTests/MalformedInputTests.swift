import Foundation
import Testing

/// One malformed input to a built binary and what its refusal must say. Arguments may name
/// fixtures as `{key}` (`MalformedInputFixtures`). A new input joins by adding a line to a table.
struct MalformedInput: Sendable, CustomTestStringConvertible {
    var binary = "furuta"
    var arguments: [String]
    /// Each must appear in stderr: the flag, key or path, and the value or what is wrong.
    var mentions: [String]
    /// A path (fixture template) that must not exist afterwards: the command refused before work.
    var createsNothingAt: String?
    /// A regular file (fixture template) that must still be there, unchanged, afterwards.
    var leavesAlone: String?

    var testDescription: String { "\(binary) \(arguments.joined(separator: " "))" }
}

/// For every case: a non-zero exit status below 128 (not a signal, not a trap), within the time
/// limit (a FIFO must not block), and a message on stderr naming the problem — never a Swift
/// runtime error or raw library text.
@Suite struct MalformedInputTests {
    static let flags: [MalformedInput] = [
        .init(arguments: ["sim", "--seconds", "1e300"], mentions: ["--seconds", "1e+300", "(0, 3600]"]),
        .init(arguments: ["sim", "--seconds", "0"], mentions: ["--seconds", "found 0"]),
        .init(arguments: ["sim", "--seconds=-5"], mentions: ["--seconds", "found -5"]),
        .init(arguments: ["sim", "--start-angle", "nan"], mentions: ["--start-angle", "nan"]),
        .init(arguments: ["sim", "--start-angle", "1e30"], mentions: ["--start-angle"]),
        .init(arguments: ["sim", "--amplitude", "inf"], mentions: ["--amplitude", "inf"]),
        .init(arguments: ["sim", "--frequency", "-1"], mentions: ["--frequency"]),
        .init(arguments: ["sim", "--seconds", "0.1", "--out", "/nonexistent/x.csv"],
              mentions: ["/nonexistent/x.csv", "directory /nonexistent does not exist"]),
        .init(arguments: ["sim", "--seconds", "0.1", "--out", "{dir}"], mentions: ["directory", "not a regular file"]),
        .init(arguments: ["sim", "--seconds", "0.1", "--out", "/dev/null"], mentions: ["/dev/null", "character device"]),
        .init(arguments: ["bench", "sim", "--envs", "0"], mentions: ["--envs", "found 0"]),
        .init(arguments: ["bench", "sim", "--seconds", "nan"], mentions: ["--seconds", "nan"]),
        .init(arguments: ["bench", "motor", "--evaluations", "0"], mentions: ["--evaluations", "found 0"]),
        .init(arguments: ["bench", "policy", "--history", "100000"], mentions: ["--history", "100000"]),
        .init(arguments: ["bench", "policy", "--hidden", "100000,100000"], mentions: ["--hidden", "100000,100000"]),
        .init(arguments: ["bench", "policy", "--sgemm", "1,2"], mentions: ["--sgemm", "1,2"]),
        .init(arguments: ["bench", "train", "--max-seconds", "inf"], mentions: ["--max-seconds", "inf"]),
        .init(arguments: ["bench", "train", "--episodes", "0"], mentions: ["--episodes", "found 0"]),
        .init(arguments: ["eval", "--policy", "{fitting.policy}", "--encoder-noise", "nan"], mentions: ["--encoder-noise", "nan"]),
        .init(arguments: ["eval", "--policy", "{fitting.policy}", "--episodes", "0"], mentions: ["--episodes", "found 0"]),
        .init(arguments: ["twin", "--physics", "pendulum.mass=0.03"], mentions: ["pendulum.mass", "did you mean 'pendulum.mass_kg'"]),
        .init(arguments: ["twin", "--physics", "pendulum=0.03"], mentions: ["pendulum.length_m"]),
        .init(arguments: ["twin", "--delay-ms", "1e30"], mentions: ["--delay-ms", "1e+30"]),
        .init(binary: "furuta-controller", arguments: ["capture", "--port", "/dev/null", "--excitation", "chirp", "--duration", "5",
                                                      "--out", "/tmp/never.rec", "--handshake-timeout", "nan"], mentions: ["--handshake-timeout"]),
        .init(arguments: ["twin", "--jitter-ms", "nan"], mentions: ["--jitter-ms", "nan"]),
        .init(arguments: ["twin", "--spike-probability", "nan"], mentions: ["--spike-probability"]),
        .init(arguments: ["twin", "--speed", "inf"], mentions: ["--speed"]),
        .init(arguments: ["twin", "--stall-after", "1e300"], mentions: ["--stall-after"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "/nonexistent", "--handshake-timeout", "nan"],
              mentions: ["--handshake-timeout", "nan"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "/nonexistent", "--handshake-timeout", "inf"],
              mentions: ["--handshake-timeout", "inf"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "/nonexistent", "--handshake-timeout", "1e30"],
              mentions: ["--handshake-timeout", "1e+30"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "auto", "--discovery-timeout", "nan"],
              mentions: ["--discovery-timeout", "nan"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "/nonexistent", "--duration", "inf"],
              mentions: ["--duration", "inf"]),
        .init(arguments: ["twin", "--link", "{victim}"], mentions: ["{victim}", "not a symbolic link", "left alone"], leavesAlone: "{victim}"),
        .init(arguments: ["twin", "--link", "{dir}"], mentions: ["{dir}", "not a symbolic link"]),
        .init(binary: "furuta-controller", arguments: ["probe", "--port", "/dev/null"],
              mentions: ["/dev/null", "not a serial port or pseudo-terminal"]),
        .init(arguments: ["twin", "--delay-ms=-1"], mentions: ["--delay-ms", "-1"]),
        .init(arguments: ["learn", "--session", "{dir}/never-session", "--set", "sac.batchSize=0"], mentions: ["batchSize", "≥ 1"],
              createsNothingAt: "{dir}/never-session"),
        .init(arguments: ["learn", "--session", "{dir}/never-session", "--poll-seconds", "nan"], mentions: ["--poll-seconds"]),
        .init(arguments: ["plot", "{dir}", "--out", "plot.jpg"], mentions: ["--out", ".svg or .png"]),
        // Outputs are written atomically to regular files only: a FIFO (or a device) is refused,
        // never replaced. (A FIFO, not /dev/null: a regression must not break the machine's /dev/null.)
        .init(arguments: ["plot", "/nonexistent-run", "--out", "{fifo.png}"], mentions: ["/nonexistent-run"]),
        .init(arguments: ["sysid", "fit", "--recording", "/nonexistent.rec", "--out", "{fifo.yaml}"], mentions: ["--out", "{fifo.yaml}", "FIFO"]),
        .init(arguments: ["view", "--replay", "/dev/zero"], mentions: ["/dev/zero", "character device"]),
        .init(arguments: ["view", "--replay", "{fifo}"], mentions: ["{fifo}", "FIFO"]),
        .init(arguments: ["view", "--replay", "{dir}"], mentions: ["{dir}", "directory"]),
        .init(arguments: ["view", "--speed", "nan"], mentions: ["--speed"]),
        .init(arguments: ["view", "--http-port", "70000"], mentions: ["--http-port"]),
    ]

    /// Recordings for system identification: capped, regular files only.
    static let recordings: [MalformedInput] = [
        .init(arguments: ["sysid", "fit", "--recording", "/dev/zero", "--out", "{dir}/never.yaml"], mentions: ["/dev/zero", "character device"],
              createsNothingAt: "{dir}/never.yaml"),
        .init(arguments: ["sysid", "fit", "--recording", "{fifo}", "--out", "{dir}/never.yaml"], mentions: ["{fifo}", "FIFO"],
              createsNothingAt: "{dir}/never.yaml"),
        .init(arguments: ["sysid", "fit", "--recording", "{dir}", "--out", "{dir}/never.yaml"], mentions: ["{dir}", "directory"]),
        .init(arguments: ["sysid", "fit", "--recording", "{garbage.policy}", "--out", "{dir}/never.yaml"], mentions: ["{garbage.policy}"]),
        .init(arguments: ["sysid", "validate", "--robot", "{robot}", "--recording", "/dev/zero"], mentions: ["/dev/zero", "character device"]),
        .init(arguments: ["sysid", "validate", "--robot", "{robot}", "--recording", "{fifo}"], mentions: ["{fifo}", "FIFO"]),
    ]

    static let policyFiles: [MalformedInput] = [
        .init(arguments: ["eval", "--policy", "/dev/zero"], mentions: ["/dev/zero", "character device"]),
        .init(arguments: ["eval", "--policy", "{fifo}"], mentions: ["{fifo}", "FIFO"]),
        .init(arguments: ["eval", "--policy", "{dir}"], mentions: ["{dir}", "directory"]),
        .init(arguments: ["eval", "--policy", "/nonexistent.policy"], mentions: ["/nonexistent.policy", "does not exist"]),
        .init(arguments: ["eval", "--policy", "{garbage.policy}"], mentions: ["{garbage.policy}", "not a policy file", "furuta train"]),
        .init(arguments: ["eval", "--policy", "{short.policy}"], mentions: ["{short.policy}", "truncated"]),
        .init(arguments: ["eval", "--policy", "{rate-50.policy}"], mentions: ["{rate-50.policy}", "control rate", "50 Hz"]),
        .init(arguments: ["eval", "--policy", "{arm-2048.policy}"], mentions: ["arm encoder", "2048"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "/dev/zero", "--port", "/nonexistent"],
              mentions: ["/dev/zero", "character device"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fifo}", "--port", "/nonexistent"],
              mentions: ["{fifo}", "FIFO"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{rate-50.policy}", "--port", "/nonexistent"],
              mentions: ["control rate"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "/nonexistent", "--summary", "/dev/null"],
              mentions: ["/dev/null", "character device"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "/nonexistent", "--summary", "{victim}.link"],
              mentions: ["{victim}.link", "symbolic link"], leavesAlone: "{victim}"),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "/nonexistent", "--summary", "{dir}"],
              mentions: ["{dir}", "directory"]),
        .init(arguments: ["bench", "policy", "--policy", "/dev/zero"], mentions: ["/dev/zero", "character device"]),
        .init(arguments: ["policy", "infer", "{fitting.policy}", "--inputs", "{fifo}"], mentions: ["--inputs", "{fifo}", "FIFO"]),
        .init(arguments: ["policy", "infer", "{fitting.policy}", "--inputs", "/dev/zero"], mentions: ["/dev/zero", "character device"]),
        .init(arguments: ["policy", "import", "{fifo}", "--out", "{dir}/never.policy"], mentions: ["{fifo}", "FIFO"],
              createsNothingAt: "{dir}/never.policy"),
        .init(arguments: ["policy", "import", "/dev/zero", "--out", "{dir}/never.policy"], mentions: ["/dev/zero", "character device"]),
        .init(arguments: ["policy", "export-onnx", "{fitting.policy}", "{fifo}"], mentions: ["{fifo}", "FIFO"]),
    ]

    static let robotFiles: [MalformedInput] = [
        .init(arguments: ["robot", "check", "--robot", "{robot-rate-huge}"], mentions: ["control.rate_hz", "1e+300", "[1, 10000]"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-rate-tiny}"], mentions: ["control.rate_hz", "1e-200"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-counts-2^32}"], mentions: ["arm.encoder_counts_per_rev", "4294967296"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-latency-huge}"], mentions: ["control.latency_s", "1000000000"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-latency-negative}"], mentions: ["control.latency_s", "-0.004"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-gravity-huge}"], mentions: ["gravity_m_per_s2", "1e+308"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-mass-huge}"], mentions: ["arm.mass_kg", "1e+300"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-mass-tiny}"], mentions: ["arm.mass_kg", "1e-300"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-mass-negative}"], mentions: ["pendulum.mass_kg", "-0.024"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-length-negative}"], mentions: ["pendulum.length_m", "-0.129"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-lag-inf}"], mentions: ["motor.lag_time_constant_s"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-resistance-nan}"], mentions: ["motor.resistance_ohm"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-typo}"], mentions: ["motor.deadzon", "did you mean 'deadzone'"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-mjcf-missing}"], mentions: ["mjcf", "missing.xml", "does not exist"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-mjcf-text}"], mentions: ["mjcf", "not XML"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-mjcf-directory}"], mentions: ["mjcf", "directory"]),
        .init(arguments: ["robot", "check", "--robot", "{robot-mjcf-html}"], mentions: ["mjcf", "page.xml", "MuJoCo"]),
        .init(arguments: ["robot", "check", "--robot", "/dev/zero"], mentions: ["/dev/zero", "character device"]),
        .init(arguments: ["robot", "check", "--robot", "{fifo}"], mentions: ["{fifo}", "FIFO"]),
        .init(arguments: ["robot", "check", "--robot", "{dir}"], mentions: ["{dir}", "directory"]),
        .init(arguments: ["sim", "--robot", "{robot-rate-huge}"], mentions: ["control.rate_hz"]),
        .init(arguments: ["eval", "--policy", "{fitting.policy}", "--robot", "{robot-mass-tiny}"], mentions: ["arm.mass_kg"]),
        .init(binary: "furuta-controller", arguments: ["run", "--policy", "{fitting.policy}", "--port", "/nonexistent", "--robot", "{robot-counts-2^32}"],
              mentions: ["arm.encoder_counts_per_rev"]),
    ]

    /// `furuta train` with one bad override: refused before the run directory is made.
    static func train(_ override: String, _ mentions: [String]) -> MalformedInput {
        let out = "{dir}/never-" + String(override.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        return .init(arguments: ["train", "--out", out, override], mentions: mentions, createsNothingAt: out)
    }

    static let configurations: [MalformedInput] = [
        train("environment.historyLength=100000", ["environment.historyLength", "100000", "[0, 256]"]),
        train("ppo.hiddenWidths=[1e5,1e5]", ["ppo.hiddenWidths[0]", "1e5"]),
        train("ppo.hiddenWidths=[100000,100000]", ["ppo.hiddenWidths[0]", "100000", "[1, 4096]"]),
        train("ppo.hiddenWidths=[]", ["ppo.hiddenWidths"]),
        train("environment.randomization.delaySteps=[0,1e9]", ["environment.randomization.delaySteps[1]", "1e9"]),
        train("environment.randomization.delaySteps=[0,1000000000]", ["environment.randomization.delaySteps[1]", "1000000000"]),
        train("environment.randomization.delaySteps=[3,1]", ["environment.randomization.delaySteps", "[3, 1]"]),
        train("environment.randomization.massScale=[-1,1]", ["environment.randomization.massScale[0]", "-1"]),
        train("evaluation.settings.episodeSeconds=0", ["evaluation.settings.episodeSeconds", "found 0"]),
        train("environment.task.episodeSeconds=-10", ["environment.task.episodeSeconds", "-10"]),
        train("maxEnvironmentSteps=0", ["maxEnvironmentSteps", "found 0"]),
        train("maxSeconds=-1", ["maxSeconds", "-1"]),
        train("ppo.learningRate=.inf", ["ppo.learningRate", "inf"]),
        train("ppo.learningRate=.nan", ["ppo.learningRate", "nan"]),
        train("ppo.minimumLearningRate=0.1", ["ppo.minimumLearningRate", "above ppo.maximumLearningRate"]),
        train("ppo.blasThreads=0", ["ppo.blasThreads", "found 0"]),
        train("environment.threads=0", ["environment.threads", "found 0"]),
        train("environment.physics=bullet", ["environment.physics", "mujoco, analytic", "bullet"]),
        train("evaluation.settings.threads=-1", ["evaluation.settings.threads", "-1"]),
        train("environment.velocitySmoothing=0", ["environment.velocitySmoothing", "(0, 1]"]),
        train("environment.velocitySmoothing=1.5", ["environment.velocitySmoothing", "1.5"]),
        train("ppo.observationClip=0", ["ppo.observationClip"]),
        train("ppo.observationClip=-.inf", ["ppo.observationClip", "-inf"]),
        train("environment.encoderNoiseCounts=-1", ["environment.encoderNoiseCounts"]),
        train("ppo.gamma=abc", ["ppo.gamma", "expected a number", "'abc'"]),
        train("ppo.epochs=many", ["ppo.epochs", "expected a whole number"]),
        train("ppo.gamma=[1,2]", ["ppo.gamma", "expected a single value", "[1, 2]"]),
        train("ppo.learnigRate=1", ["unknown key 'ppo.learnigRate'", "did you mean 'ppo.learningRate'"]),
        train("ppo=3", ["'ppo' is a group of keys"]),
        train("noequals", ["key=value"]),
        .init(arguments: ["train", "--out", "{dir}/never-config", "--config", "/dev/zero"], mentions: ["/dev/zero", "character device"],
              createsNothingAt: "{dir}/never-config"),
        .init(arguments: ["train", "--out", "{dir}/never-config", "--config", "{fifo}"], mentions: ["{fifo}", "FIFO"],
              createsNothingAt: "{dir}/never-config"),
        .init(arguments: ["train", "--config", "/nonexistent.yaml", "--print-config"], mentions: ["/nonexistent.yaml", "does not exist"]),
        .init(arguments: ["bench", "train", "ppo.epochs=0"], mentions: ["ppo.epochs", "found 0"]),
    ]

    @Test(arguments: flags) func badFlagsAreRefused(_ input: MalformedInput) throws { try expectRefusal(input) }
    @Test(arguments: policyFiles) func badPolicyFilesAreRefused(_ input: MalformedInput) throws { try expectRefusal(input) }
    @Test(arguments: robotFiles) func badRobotFilesAreRefused(_ input: MalformedInput) throws { try expectRefusal(input) }
    @Test(arguments: recordings) func badRecordingsAreRefused(_ input: MalformedInput) throws { try expectRefusal(input) }
    @Test(arguments: configurations) func badConfigurationsAreRefusedBeforeWork(_ input: MalformedInput) throws { try expectRefusal(input) }

    func expectRefusal(_ input: MalformedInput) throws {
        let fixtures = MalformedInputFixtures.shared
        let arguments = input.arguments.map(fixtures.resolve)
        let result = try BuiltBinaries.run(input.binary, arguments, timeoutSeconds: 60)
        let stderr = result.stderr
        #expect(!result.timedOut, "hung (killed after 60 s); stderr: \(stderr)")
        #expect(!result.signalled, "killed by signal \(result.status); stderr: \(stderr)")
        #expect(result.status != 0, "exited 0; stdout: \(result.stdout)")
        #expect(result.status < 128, "exit status \(result.status)")
        for text in input.mentions.map(fixtures.resolve) {
            #expect(stderr.contains(text), "expected '\(text)' in: \(stderr)")
        }
        for raw in ["Fatal error", "NSCocoaErrorDomain", "Expected to decode", "found Scalar", "expected Scalar", "furuta export",
                    "check the path exists", "The operation could not be completed"] {
            #expect(!stderr.contains(raw), "raw text '\(raw)' in: \(stderr)")
        }
        // `--summary /dev/null` and `--out /dev/null` must leave the device node alone.
        var status = stat()
        #expect(stat("/dev/null", &status) == 0 && status.st_mode & S_IFMT == S_IFCHR, "/dev/null was replaced")
        if let path = input.leavesAlone.map(fixtures.resolve) {
            #expect((try? String(contentsOfFile: path, encoding: .utf8)) == MalformedInputFixtures.victimText, "\(path) was changed")
        }
        if let path = input.createsNothingAt.map(fixtures.resolve) {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) was created: work started")
        }
    }
}
