import Controller
import FirmwareLink
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// `furuta-controller run` is not silent: progress lines on stderr while it runs (from the
    /// drain thread) and while `--port auto` waits for a board.
    @Suite(.serialized) struct RunProgressOnTwinTests {
        private var binary: String { BuiltProducts.executable("furuta-controller") }

        private func run(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["run", "--policy", ControllerFixtures.swingUpPolicyPath, "--robot", ControllerFixtures.robotPath,
                                 "--no-memory-lock"] + arguments
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }

        @Test func progressLinesWhileRunningAgreeWithTheSummary() throws {
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let summaryPath = ControllerFixtures.temporaryPath("summary.json")
            let (status, stderr) = try run(["--port", device.slavePath, "--duration", "4", "--progress-every", "1",
                                            "--summary", summaryPath])
            #expect(status == 0, "\(stderr)")
            let lines = stderr.split(separator: "\n").map(String.init)
                .filter { $0.hasPrefix("furuta-controller: ") && $0.contains(" s: ") && $0.contains("worst wake-up") }
            // Homing plus 4 s of policy: at least 4 lines, one per second of loop time.
            #expect(lines.count >= 4, "\(stderr)")
            let times = lines.compactMap { Double($0.dropFirst("furuta-controller: ".count).prefix { $0 != " " }) }
            #expect(times.count == lines.count)
            #expect(zip(times, times.dropFirst()).allSatisfy { abs($1 - $0 - 1) < 0.05 }, "one a second: \(times)")
            #expect(lines.contains { $0.contains(": running, ") }, "\(lines)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summaryPath))) as? [String: Any])
            let longest = try #require(json["longest_upright_s"] as? Double)
            let reported = lines.compactMap { line -> Double? in
                guard let range = line.range(of: "(longest ") else { return nil }
                return Double(line[range.upperBound...].prefix { $0 != " " })
            }
            #expect(reported.allSatisfy { $0 <= longest + 0.05 }, "the lines never claim more than the summary: \(reported) vs \(longest)")
        }

        @Test func waitingForTheBoardSaysSoOnceASecond() throws {
            let (status, stderr) = try run(["--port", "auto", "--discovery-timeout", "2.5"])
            #expect(status == 1, "no board here: \(stderr)")
            let waits = stderr.split(separator: "\n").filter { $0.contains("waiting for the board") }
            #expect(waits.count == 2, "\(stderr)")
            #expect(waits.first?.contains("1 s of 2.5 s") == true, "\(waits)")
            #expect(waits.last?.contains("2 s of 2.5 s") == true, "\(waits)")
        }
    }
}
