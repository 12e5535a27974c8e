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
        #expect(problems(of: text) == [.init(key: "motor.resistance_ohm", message: "must be positive, found -7.5")])
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

    @Test func missingFileIsReported() {
        #expect(throws: RobotDescriptionError.self) { try RobotDescription.load(from: "/nonexistent/robot.yaml") }
    }
}
