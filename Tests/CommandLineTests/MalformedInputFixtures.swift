import Foundation
import PolicyFormat
import RobotDescription

/// Files the malformed-input cases point at, made once per test process in a scratch
/// directory: broken robot descriptions and models, a FIFO, a directory, garbage and
/// mismatched policies. A case names them as `{key}` in its arguments.
struct MalformedInputFixtures: Sendable {
    let directory: String
    let paths: [String: String]

    static let shared: MalformedInputFixtures = try! MalformedInputFixtures()

    /// `{key}` in `argument` replaced by the fixture's path.
    func resolve(_ argument: String) -> String {
        var text = argument
        for (key, path) in paths { text = text.replacingOccurrences(of: "{\(key)}", with: path) }
        return text
    }

    /// robot.yaml edits: fixture key → (text in the shipped file, its replacement).
    static let robotEdits: [String: (String, String)] = [
        "robot-rate-huge": ("rate_hz: 100", "rate_hz: 1e300"),
        "robot-rate-tiny": ("rate_hz: 100", "rate_hz: 1e-200"),
        "robot-counts-2^32": ("encoder_counts_per_rev: 4096", "encoder_counts_per_rev: 4294967296"),
        "robot-latency-huge": ("latency_s: 0.004", "latency_s: 1e9"),
        "robot-latency-negative": ("latency_s: 0.004", "latency_s: -0.004"),
        "robot-gravity-huge": ("gravity_m_per_s2: 9.81", "gravity_m_per_s2: 1e308"),
        "robot-mass-huge": ("mass_kg: 0.065", "mass_kg: 1e300"),
        "robot-mass-tiny": ("mass_kg: 0.065", "mass_kg: 1e-300"),
        "robot-mass-negative": ("mass_kg: 0.024", "mass_kg: -0.024"),
        "robot-length-negative": ("length_m: 0.129", "length_m: -0.129"),
        "robot-lag-inf": ("lag_time_constant_s: 0.002", "lag_time_constant_s: .inf"),
        "robot-resistance-nan": ("resistance_ohm: 7.5", "resistance_ohm: .nan"),
        "robot-typo": ("  deadzone: 0.06", "  deadzon: 0.06"),
        "robot-mjcf-missing": ("mjcf: furuta.xml", "mjcf: missing.xml"),
        "robot-mjcf-text": ("mjcf: furuta.xml", "mjcf: text.xml"),
        "robot-mjcf-directory": ("mjcf: furuta.xml", "mjcf: folder.xml"),
        "robot-mjcf-html": ("mjcf: furuta.xml", "mjcf: page.xml"),
    ]

    static let victimText = "a user's notes, not to be replaced\n"

    init() throws {
        let fm = FileManager.default
        let directory = fm.temporaryDirectory.appendingPathComponent("malformed-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var found: [String: String] = ["dir": directory]
        func file(_ name: String, _ contents: [UInt8]) throws -> String {
            let path = "\(directory)/\(name)"
            try Data(contents).write(to: URL(fileURLWithPath: path))
            return path
        }

        // The shipped robot next to its model, then one broken copy per edit.
        let shipped = RobotDescriptionPaths.shipped
        let shippedText = try String(contentsOfFile: shipped, encoding: .utf8)
        let model = try Data(contentsOf: URL(fileURLWithPath: shipped).deletingLastPathComponent().appendingPathComponent("furuta.xml"))
        try model.write(to: URL(fileURLWithPath: "\(directory)/furuta.xml"))
        found["robot"] = try file("robot.yaml", Array(shippedText.utf8))
        for (key, (original, replacement)) in Self.robotEdits {
            precondition(shippedText.contains(original), "robot.yaml no longer contains '\(original)'")
            found[key] = try file("\(key).yaml", Array(shippedText.replacingOccurrences(of: original, with: replacement).utf8))
        }
        _ = try file("text.xml", Array("this is not XML\n".utf8))
        _ = try file("page.xml", Array("<html><body>not a model</body></html>\n".utf8))
        try fm.createDirectory(atPath: "\(directory)/folder.xml", withIntermediateDirectories: true)

        // Not regular files: a FIFO nobody writes to (a plain open blocks for ever) and a folder.
        found["fifo"] = "\(directory)/fifo"
        guard mkfifo(found["fifo"]!, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        // A FIFO named like an image or a description, for outputs that check the extension first.
        for name in ["fifo.png", "fifo.yaml"] {
            found[name] = "\(directory)/\(name)"
            guard mkfifo(found[name]!, 0o600) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
        found["folder"] = "\(directory)/folder.xml"

        // A user's file that a link or summary must not replace, and a symbolic link to it.
        found["victim"] = try file("victim.txt", Array(Self.victimText.utf8))
        guard symlink(found["victim"]!, found["victim"]! + ".link") == 0 else { throw CocoaError(.fileWriteUnknown) }

        // Policies: garbage, cut short, and well-formed ones that do not fit the shipped robot.
        found["garbage.policy"] = try file("garbage.policy", Array("this is not a policy file at all".utf8))
        found["short.policy"] = try file("short.policy", Array("FURUTA".utf8))
        let robot = try RobotDescription.load(from: shipped).parameters
        let layout = ObservationLayout(historyLength: 4, armCountsPerRevolution: robot.arm.encoderCountsPerRevolution,
                                       pendulumCountsPerRevolution: robot.pendulum.encoderCountsPerRevolution)
        var fitting = PolicyBenchmark.randomPolicy(layout: layout, hiddenWidths: [8])
        fitting.robotIdentity = robot.identity
        fitting.robotName = robot.name
        fitting.controlRateHz = robot.control.rateHz
        found["fitting.policy"] = "\(directory)/fitting.policy"
        try fitting.write(toFile: found["fitting.policy"]!)
        var otherRate = fitting
        otherRate.controlRateHz = 50
        found["rate-50.policy"] = "\(directory)/rate-50.policy"
        try otherRate.write(toFile: found["rate-50.policy"]!)
        var otherEncoder = fitting
        otherEncoder.observationLayout.armCountsPerRevolution = 2048
        found["arm-2048.policy"] = "\(directory)/arm-2048.policy"
        try otherEncoder.write(toFile: found["arm-2048.policy"]!)
        self.directory = directory
        self.paths = found
    }
}
