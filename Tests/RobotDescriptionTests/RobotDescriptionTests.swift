import Foundation
import Testing
import RobotDescription

/// The shipped description, as text, so each test can break one thing in it.
let shippedPath = RobotDescription.defaultPath
let shippedText = try! String(contentsOfFile: shippedPath, encoding: .utf8)

func problems(of text: String) -> [RobotDescriptionError.Problem] {
    do {
        _ = try RobotDescription.parse(text, file: "broken.yaml")
        return []
    } catch {
        #expect(error.file == "broken.yaml")
        return error.problems
    }
}

@Suite struct RobotDescriptionTests {
    @Test func shippedDescriptionLoads() throws {
        let description = try RobotDescription.load(from: shippedPath)
        #expect(description.parameters.arm.encoderCountsPerRevolution == 4096)
        #expect(description.parameters.pendulum.encoderCountsPerRevolution == 8192)
        #expect(description.parameters.control.substepsPerControlStep == 5)
        #expect(FileManager.default.fileExists(atPath: description.mjcfPath))
        #expect(description.summary.contains("stall torque"))
    }

    @Test func syntaxErrorIsRejected() {
        let found = problems(of: "arm: [1, 2\nmotor: {")
        #expect(found.count == 1)
        #expect(found.first?.message.contains("not valid YAML") == true)
    }

    @Test func emptyFileIsRejected() {
        #expect(problems(of: "").first?.message.contains("empty") == true)
        #expect(problems(of: "# only a comment\n").first?.message.contains("empty") == true)
    }

    @Test func truncatedFileIsRejectedWithMissingKeys() {
        let cut = String(shippedText.prefix(shippedText.count / 2))
        let found = problems(of: cut)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.message == "missing key" || $0.message.contains("YAML") || $0.message.contains("expected") })
    }

    @Test func negativeResistanceIsRejectedByKey() {
        let text = shippedText.replacingOccurrences(of: "resistance_ohm: 7.5", with: "resistance_ohm: -7.5")
        #expect(problems(of: text) == [.init(key: "motor.resistance_ohm", message: "must be in [0.001, 10000], found -7.5")])
    }

    @Test func negativeMassIsRejectedByKey() {
        let text = shippedText.replacingOccurrences(of: "mass_kg: 0.024", with: "mass_kg: -0.024")
        #expect(problems(of: text).map(\.key) == ["pendulum.mass_kg"])
    }

    @Test func missingKeyIsNamed() {
        let text = shippedText.replacingOccurrences(of: "  gear_ratio: 6.0", with: "")
        #expect(problems(of: text) == [.init(key: "motor.gear_ratio", message: "missing key")])
    }

    @Test func unknownKeyIsNamed() {
        let text = shippedText.replacingOccurrences(of: "  deadzone: 0.06", with: "  deadzone: 0.06\n  deadzon: 0.06")
        let found = problems(of: text)
        #expect(found.map(\.key) == ["motor.deadzon"])
        #expect(found.first?.message.contains("unknown key") == true)
    }

    @Test func deadzoneOutsideUnitIntervalIsRejected() {
        for bad in ["1.0", "-0.1", "1.5"] {
            let text = shippedText.replacingOccurrences(of: "deadzone: 0.06", with: "deadzone: \(bad)")
            #expect(problems(of: text).map(\.key) == ["motor.deadzone"], "deadzone \(bad)")
        }
    }

    @Test func wrongTypeIsNamed() {
        let text = shippedText.replacingOccurrences(of: "rate_hz: 100", with: "rate_hz: fast")
        #expect(problems(of: text) == [.init(key: "control.rate_hz", message: "expected a number, found 'fast'")])
    }

    @Test func controlPeriodMustBeWholePhysicsSteps() {
        let text = shippedText.replacingOccurrences(of: "rate_hz: 100", with: "rate_hz: 300")
        #expect(problems(of: text).map(\.key) == ["control.physics_timestep_s"])
    }

    @Test func overridesUseTheSameKeysAndChecks() throws {
        let heavier = try RobotDescription.load(from: shippedPath, overrides: ["pendulum.mass_kg": "0.03"])
        #expect(heavier.parameters.pendulum.massKg == 0.03)
        #expect(throws: RobotDescriptionError.self) {
            try RobotDescription.load(from: shippedPath, overrides: ["pendulum.mass_kg": "-1"])
        }
        #expect(throws: RobotDescriptionError.self) {
            try RobotDescription.load(from: shippedPath, overrides: ["pendulum.no_such_key": "1"])
        }
    }

    /// Numbers that parse but make no physical or computational sense: each is refused by key,
    /// with the value and the allowed range in the message.
    @Test(arguments: [
        ("rate_hz: 100", "rate_hz: 1e300", "control.rate_hz"),
        ("rate_hz: 100", "rate_hz: 1e-200", "control.rate_hz"),
        ("latency_s: 0.004", "latency_s: 1e9", "control.latency_s"),
        ("latency_s: 0.004", "latency_s: -0.004", "control.latency_s"),
        ("gravity_m_per_s2: 9.81", "gravity_m_per_s2: 1e308", "gravity_m_per_s2"),
        ("mass_kg: 0.065", "mass_kg: 1e300", "arm.mass_kg"),
        ("mass_kg: 0.065", "mass_kg: 1e-300", "arm.mass_kg"),
        ("mass_kg: 0.024", "mass_kg: -0.024", "pendulum.mass_kg"),
        ("length_m: 0.129", "length_m: -0.129", "pendulum.length_m"),
        ("encoder_counts_per_rev: 4096", "encoder_counts_per_rev: 4294967296", "arm.encoder_counts_per_rev"),
        ("encoder_counts_per_rev: 8192", "encoder_counts_per_rev: 0", "pendulum.encoder_counts_per_rev"),
        ("lag_time_constant_s: 0.002", "lag_time_constant_s: .inf", "motor.lag_time_constant_s"),
        ("resistance_ohm: 7.5", "resistance_ohm: .nan", "motor.resistance_ohm"),
    ])
    func absurdNumbersAreRejectedByKeyWithTheRange(original: String, replacement: String, key: String) {
        let text = shippedText.replacingOccurrences(of: original, with: replacement)
        #expect(text != shippedText)
        let found = problems(of: text)
        #expect(found.map(\.key).contains(key), "\(found)")
        let message = found.first { $0.key == key }?.message ?? ""
        #expect(message.contains("must be") || message.contains("expected a number"), "\(message)")
    }

    @Test func tooManyPhysicsStepsPerControlPeriodAreRejected() {
        let text = shippedText.replacingOccurrences(of: "rate_hz: 100", with: "rate_hz: 1")
            .replacingOccurrences(of: "physics_timestep_s: 0.002", with: "physics_timestep_s: 0.00001")
        #expect(problems(of: text).map(\.key) == ["control.physics_timestep_s"])
    }

    @Test func aMissingDirectoryOrNonXMLModelIsNamedByTheMjcfKey() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("mjcf-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "not xml at all".write(to: directory.appendingPathComponent("text.xml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("folder.xml"), withIntermediateDirectories: true)
        for (mjcf, expected) in [("missing.xml", "does not exist"), ("text.xml", "not XML"), ("folder.xml", "directory")] {
            let text = shippedText.replacingOccurrences(of: "mjcf: furuta.xml", with: "mjcf: \(mjcf)")
            let path = directory.appendingPathComponent("robot.yaml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            let error = #expect(throws: RobotDescriptionError.self) { try RobotDescription.load(from: path) }
            #expect(error?.problems.first?.key == "mjcf")
            #expect(error?.problems.first?.message.contains(expected) == true, "\(String(describing: error))")
        }
    }

    @Test func unknownKeysAndOverridesSuggestTheNearestKey() throws {
        let typo = shippedText.replacingOccurrences(of: "  deadzone: 0.06", with: "  deadzon: 0.06")
        let found = problems(of: typo)
        #expect(found.contains { $0.key == "motor.deadzon" && $0.message.contains("did you mean 'deadzone'?") }, "\(found)")
        let error = #expect(throws: RobotDescriptionError.self) {
            try RobotDescription.load(from: shippedPath, overrides: ["pendulum.mass": "0.03"])
        }
        let message = error?.description ?? ""
        #expect(message.contains("did you mean 'pendulum.mass_kg'?"), "\(message)")
        #expect(message.contains("pendulum.length_m"), "\(message)")
        let notAValue = #expect(throws: RobotDescriptionError.self) {
            try RobotDescription.load(from: shippedPath, overrides: ["pendulum": "0.03"])
        }
        #expect(notAValue?.description.contains("pendulum.mass_kg") == true)
    }

    @Test func nonRegularFilesAreRefusedWithoutBlocking() throws {
        #expect(throws: RobotDescriptionError.self) { try RobotDescription.load(from: "/dev/zero") }
        let fifo = FileManager.default.temporaryDirectory.appendingPathComponent("robot-fifo-\(UUID())").path
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        let error = #expect(throws: RobotDescriptionError.self) { try RobotDescription.load(from: fifo) }
        #expect(error?.description.contains("FIFO") == true)
    }

    @Test func missingFileIsReported() {
        #expect(throws: RobotDescriptionError.self) { try RobotDescription.load(from: "/nonexistent/robot.yaml") }
    }
}
