import Foundation
import RobotDescription
import Testing

/// The rough edges a new user hit: versions, the bundled robot away from the source tree, the
/// process name, buffering, the last CSV row, and floats in printed configurations.
@Suite struct CommandLineConveniencesTests {
    @Test func bothBinariesPrintTheVersion() throws {
        for binary in ["furuta", "furuta-controller"] {
            let result = try BuiltBinaries.run(binary, ["--version"])
            #expect(result.status == 0)
            #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == FurutaVersion.text)
        }
    }

    /// Installed by scripts/install.sh into PREFIX (bin/ and share/furuta/), the binary finds
    /// its robot from any working directory, without the source tree.
    @Test func anInstalledBinaryFindsTheRobotBesideIt() throws {
        let fm = FileManager.default
        let prefix = fm.temporaryDirectory.appendingPathComponent("prefix-\(UUID())")
        defer { try? fm.removeItem(at: prefix) }
        let root = URL(fileURLWithPath: RobotDescriptionPaths.shipped).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let install = try BuiltBinaries.run(executable: root.appendingPathComponent("scripts/install.sh").path,
                                            ["--no-build", "--bin-dir", BuiltBinaries.directory.path, prefix.path])
        #expect(install.status == 0, "\(install.stderr)")
        let scratch = prefix.appendingPathComponent("elsewhere")
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        let result = try BuiltBinaries.run(executable: prefix.appendingPathComponent("bin/furuta").path, ["robot", "check"],
                                           in: scratch.path, environment: ["FURUTA_ROBOT": nil])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(prefix.appendingPathComponent("share/furuta/robot.yaml").path), "\(result.stdout)")
    }

    @Test func furutaRobotOverridesTheDefault() throws {
        let result = try BuiltBinaries.run(executable: BuiltBinaries.path("furuta"), ["robot", "check"],
                                           environment: ["FURUTA_ROBOT": "/nonexistent/robot.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/nonexistent/robot.yaml"))
        #expect(result.stderr.contains("FURUTA_ROBOT"))
    }

    /// The twin, redirected to a pipe: each line arrives as it is printed (line-buffered), the
    /// process is called furuta (not "exe" after the OpenBLAS re-exec), and SIGINT removes its link.
    @Test func twinOutputIsLineBufferedAndTheProcessKeepsItsName() throws {
        let link = FileManager.default.temporaryDirectory.appendingPathComponent("twin-\(UUID())").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BuiltBinaries.path("furuta"))
        process.arguments = ["twin", "--link", link]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        // Read the first line while the twin is still running.
        let reader = pipe.fileHandleForReading
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n"), Date() < deadline, process.isRunning {
            let data = reader.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        #expect(process.isRunning)
        #expect(text.contains("twin: device on"), "nothing arrived while running: '\(text)'")
        let name = try String(contentsOfFile: "/proc/\(process.processIdentifier)/comm", encoding: .utf8)
        #expect(name.trimmingCharacters(in: .whitespacesAndNewlines) == "furuta")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: link))
    }

    /// Every row is a state the episode reached: the run of 2 s is the first 2 s of a run of 3 s
    /// (its last row used to be the state after the auto-reset).
    @Test func theLastSimulatedRowIsNotTheResetState() throws {
        let short = try BuiltBinaries.run("furuta", ["sim", "--start-angle", "1.0", "--seconds", "2", "--out", "-"])
        let long = try BuiltBinaries.run("furuta", ["sim", "--start-angle", "1.0", "--seconds", "3", "--out", "-"])
        #expect(short.status == 0 && long.status == 0, "\(short.stderr) \(long.stderr)")
        let shortRows = short.stdout.split(separator: "\n"), longRows = long.stdout.split(separator: "\n")
        #expect(shortRows.count == 201)
        #expect(Array(shortRows) == Array(longRows.prefix(shortRows.count)))
    }

    @Test func printedConfigurationsUseShortestFloatsAndReadBackTheSame() throws {
        let printed = try BuiltBinaries.run("furuta", ["train", "--print-config"])
        #expect(printed.status == 0)
        #expect(printed.stdout.contains("gamma: 0.99\n"), "\(printed.stdout)")
        #expect(printed.stdout.contains("successRate: 0.95\n"))
        #expect(!printed.stdout.contains("e-1\n"), "widened floats: \(printed.stdout)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID()).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try printed.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        let again = try BuiltBinaries.run("furuta", ["train", "--config", path, "--print-config"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == printed.stdout)
    }
}
