import Foundation
import RobotDescription
import Synchronization
@testable import View

/// A `ViewServer` on a free loopback port running `source`, for the length of a test.
final class ViewHarness: Sendable {
    let hub: FrameHub
    private let task: Task<Void, any Error>
    let port: Int

    init(source: any FrameSource) async throws {
        let hub = FrameHub(sourceDescription: source.description)
        self.hub = hub
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        task = Task { try await ViewServer(hub: hub, port: 0).run(source: source) { continuation.yield($0) } }
        var bound = 0
        for await p in ports { bound = p; break }
        port = bound
    }

    var url: String { "http://127.0.0.1:\(port)/" }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    /// Polls `condition` every 20 ms for up to `seconds`.
    func wait(seconds: Double, until condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    static let robot = try! RobotDescription.load(from: RobotDescription.defaultPath)

    /// A CSV in `furuta sim`'s format: the pendulum swinging through ±1 rad at 1 Hz for 4 s.
    static func swingingTrajectory() throws -> URL {
        var rows = ["time_s,action,duty,arm_angle_rad,pendulum_angle_rad,arm_velocity_rad_s,pendulum_velocity_rad_s,reward"]
        for k in 0...400 {
            let t = Double(k) * 0.01
            rows.append("\(t),0,0,\(0.3 * sin(t)),\(sin(2 * .pi * t)),0,0,0")
        }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("view-\(UUID()).csv")
        try rows.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
