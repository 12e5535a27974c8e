import Foundation
import Testing

/// The ESP32 firmware and robot.yaml agree by construction: the firmware's encoder resolutions
/// come from a header generated from robot.yaml (tools/firmware/robot_config.py, run by
/// PlatformIO before every build). The shipped firmware used to report 2048/4096 counts against
/// robot.yaml's 4096/8192, so the controller refused the real robot out of the box.
struct FirmwareRobotConfigTests {
    private var root: URL { ControllerFixtures.packageRoot }
    private var headerPath: String { root.appendingPathComponent("firmware-protocol/esp32/src/robot_config.h").path }

    private func defines(in path: String) throws -> [String: String] {
        var found: [String: String] = [:]
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 3, fields[0] == "#define" { found[String(fields[1])] = String(fields[2]) }
        }
        return found
    }

    @Test func theFirmwaresEncoderCountsAreRobotYamls() throws {
        let robot = try ControllerFixtures.robot().parameters
        let header = try defines(in: headerPath)
        #expect(header["ARM_COUNTS_PER_REV"] == String(robot.arm.encoderCountsPerRevolution))
        #expect(header["PENDULUM_COUNTS_PER_REV"] == String(robot.pendulum.encoderCountsPerRevolution))
        // main.cpp takes them from the header and defines no counts of its own.
        let main = try String(contentsOfFile: root.appendingPathComponent("firmware-protocol/esp32/src/main.cpp").path, encoding: .utf8)
        #expect(main.contains("#include \"robot_config.h\""))
        #expect(!main.contains("#define ARM_COUNTS_PER_REV") && !main.contains("#define PENDULUM_COUNTS_PER_REV"))
        #expect(main.contains("identity.arm_counts_per_rev = ARM_COUNTS_PER_REV"))
    }

    /// The generator reproduces the committed header from robot.yaml, and follows a change.
    @Test func theGeneratorWritesTheHeaderFromRobotYaml() throws {
        let python = try #require(BuiltProducts.systemTool("python3"))
        let script = root.appendingPathComponent("tools/firmware/robot_config.py").path
        let out = ControllerFixtures.temporaryPath("robot_config.h")
        let same = try ChildProcess.run(python, [script, ControllerFixtures.robotPath, out], timeout: .seconds(20))
        #expect(same.status == 0, "\(same.standardError)")
        #expect(try String(contentsOfFile: out, encoding: .utf8) == String(contentsOfFile: headerPath, encoding: .utf8))

        let yaml = try String(contentsOfFile: ControllerFixtures.robotPath, encoding: .utf8)
            .replacingOccurrences(of: "encoder_counts_per_rev: 8192", with: "encoder_counts_per_rev: 4000")
        let otherYaml = ControllerFixtures.temporaryPath("robot.yaml")
        try yaml.write(toFile: otherYaml, atomically: true, encoding: .utf8)
        let changed = try ChildProcess.run(python, [script, otherYaml, out], timeout: .seconds(20))
        #expect(changed.status == 0, "\(changed.standardError)")
        #expect(try defines(in: out)["PENDULUM_COUNTS_PER_REV"] == "4000")
    }

    /// Classic ESP32 modules wire GPIO 6-11 to the SPI flash: the pin map must not use them.
    @Test func theClassicEsp32PinMapAvoidsTheFlashPins() throws {
        let pins = try String(contentsOfFile: root.appendingPathComponent("firmware-protocol/esp32/src/pins.h").path, encoding: .utf8)
        let classic = try #require(pins.components(separatedBy: "#elif defined(CONFIG_IDF_TARGET_ESP32)").last?
            .components(separatedBy: "#else").first)
        var used: [Int] = []
        for line in classic.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 3, fields[0] == "#define", fields[1].hasPrefix("PIN_"), let gpio = Int(fields[2]) { used.append(gpio) }
        }
        #expect(used.count == 6, "\(used)")
        #expect(used.allSatisfy { !(6...11).contains($0) }, "flash pins in \(used)")
        #expect(Set(used).count == used.count, "a pin used twice: \(used)")
    }

    /// The Arduino-ESP32 2.x API the HAL uses (ledcSetup, esp_task_wdt_init in seconds) is pinned.
    @Test func theArduinoPlatformIsPinnedTo2x() throws {
        let ini = try String(contentsOfFile: root.appendingPathComponent("firmware-protocol/esp32/platformio.ini").path, encoding: .utf8)
        let platform = try #require(ini.split(separator: "\n").first { $0.hasPrefix("platform =") })
        #expect(platform.contains("@"), "unpinned: \(platform)")
        #expect(ini.contains("framework-arduinoespressif32 @ ~3.20017"), "Arduino-ESP32 2.0.17")
    }
}
