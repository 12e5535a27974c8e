import Foundation
import Testing

@Suite struct RobotCheckCommandTests {
    func write(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("robot-\(UUID()).yaml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func shippedRobotChecksWithDerivedFigures() throws {
        let result = try BuiltBinaries.run("furuta", ["robot", "check"])
        #expect(result.status == 0, "\(result.stderr)")
        for figure in ["stall torque", "no-load arm speed", "pendulum natural frequency"] {
            #expect(result.stdout.contains(figure))
        }
    }

    @Test func brokenFilesExitNonZeroWithTheProblem() throws {
        let shipped = try String(contentsOfFile: RobotDescriptionPaths.shipped, encoding: .utf8)
        let cases: [(String, String)] = [
            ("", "empty"),
            ("arm: [1, 2\n", "not valid YAML"),
            (shipped.split(separator: "\n", omittingEmptySubsequences: false).prefix(55).joined(separator: "\n"), "missing key"),
            (String(shipped.prefix(shipped.count * 7 / 10)), "robot-"), // cut mid-line: any message, no crash
            (shipped.replacingOccurrences(of: "resistance_ohm: 7.5", with: "resistance_ohm: -1"), "motor.resistance_ohm"),
            (shipped.replacingOccurrences(of: "name: furuta-desktop", with: "name: x\nnam: y"), "unknown key"),
        ]
        for (text, expected) in cases {
            let path = try write(text)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let result = try BuiltBinaries.run("furuta", ["robot", "check", "--robot", path])
            #expect(result.status != 0)
            #expect(result.stderr.contains(expected), "expected '\(expected)' in: \(result.stderr)")
            #expect(result.stderr.contains(path))
            #expect(!result.stderr.contains("Fatal error"))
        }
    }
}

enum RobotDescriptionPaths {
    static var shipped: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("assets/furuta/robot.yaml").path
    }
}
