import Foundation
import Testing
import Twin
@testable import View

/// `furuta view --controller-udp PORT` watches a controller `run` or `session` on the twin: the
/// built `furuta-controller`, started with FURUTA_VIEW_UDP=127.0.0.1:PORT, sends its drain
/// thread's telemetry records, which arrive as frames that follow the pendulum. (Runs with the
/// real-time twin suites, one at a time: its name matches scripts/test.sh's `TwinTests`.)
@Suite(.serialized) struct ControllerViewOnTwinTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixturePolicy = packageRoot.appendingPathComponent("Tests/ControllerTests/Fixtures/swingup.policy").path
    static let robotPath = packageRoot.appendingPathComponent("assets/furuta/robot.yaml").path
    static var controller: String {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent().appendingPathComponent("furuta-controller").path
    }

    struct Watched {
        var status: Int32
        var frames: [ViewFrame]
        var published: Int
        /// The controller's stderr, for the failure messages.
        var stderr: String
    }

    /// Runs `furuta-controller arguments` (with `{port}` replaced by the twin's pty) against a
    /// fresh twin, with the view's UDP source listening, and collects the frames it shows.
    static func watch(_ arguments: [String], seconds: Double) async throws -> Watched {
        let device = try VirtualDevice(plant: try PhysicsPlant(description: ViewHarness.robot))
        device.start()
        defer { device.close() }
        let port = UInt16.random(in: 40_001...60_000)
        let hub = FrameHub(sourceDescription: "test", maximumRateHz: 1000)
        let source = Task { try await ControllerTelemetrySource(port: port, sender: .controller).run(into: hub) }
        defer { source.cancel() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: controller)
        process.arguments = arguments.map { $0 == "{port}" ? device.slavePath : $0 }
        var environment = ProcessInfo.processInfo.environment
        environment["FURUTA_VIEW_UDP"] = "127.0.0.1:\(port)"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("view-controller-\(UUID()).err")
        FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        var frames: [ViewFrame] = []
        let deadline = ContinuousClock.now + .seconds(seconds)
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
            if let frame = hub.latest, frame.timeS != frames.last?.timeS { frames.append(frame) }
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        return Watched(status: process.terminationStatus, frames: frames, published: hub.framesPublished,
                       stderr: String(stderr.suffix(1500)))
    }

    static func expectAPendulumSwingingUnderThePolicy(_ watched: Watched) {
        let running = watched.frames.filter { $0.mode == "running" }
        #expect(watched.published >= 100, "frames published: \(watched.published); controller: \(watched.stderr)")
        #expect(running.count >= 30, "running frames seen: \(running.count) of \(watched.frames.count)")
        // The fixture policy swings the pendulum up: the drawn pendulum moves by more than a radian.
        let angles = running.map(\.pendulumAngleRad)
        #expect((angles.max() ?? 0) - (angles.min() ?? 0) > 1, "pendulum angles seen: \(angles.prefix(20))…")
        #expect(running.contains { $0.duty != 0 })
    }

    @Test func aControllerRunIsShownLive() async throws {
        let watched = try await Self.watch(["run", "--policy", Self.fixturePolicy, "--port", "{port}", "--robot", Self.robotPath,
                                            "--duration", "4", "--priority", "0"], seconds: 40)
        #expect(watched.status == 0, "\(watched.stderr)")
        Self.expectAPendulumSwingingUnderThePolicy(watched)
    }

    @Test func aControllerSessionIsShownLive() async throws {
        let folder = NSTemporaryDirectory() + "furuta-view-session-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // The session starts with a valid latest.policy when the folder has no candidate.
        try FileManager.default.copyItem(atPath: Self.fixturePolicy, toPath: folder + "/latest.policy")
        let watched = try await Self.watch(["session", "--port", "{port}", "--session", folder, "--robot", Self.robotPath,
                                            "--episodes", "1", "--episode-seconds", "4", "--priority", "0"], seconds: 60)
        #expect(watched.status == 0, "\(watched.stderr)")
        Self.expectAPendulumSwingingUnderThePolicy(watched)
        #expect(FileManager.default.fileExists(atPath: folder + "/episodes/episode-000001.csv"))
    }
}
