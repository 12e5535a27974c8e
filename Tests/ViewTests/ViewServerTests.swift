import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HummingbirdWSClient
import Logging
import Synchronization
import Testing
@testable import View

@Suite(.serialized) struct ViewServerTests {
    @Test func thePageHasItsDrawingSurfaces() async throws {
        let csv = try ViewHarness.swingingTrajectory()
        defer { try? FileManager.default.removeItem(at: csv) }
        let view = try await ViewHarness(source: ReplaySource(url: csv))
        let (data, response) = try await URLSession.shared.data(from: URL(string: view.url)!)
        await view.stop()
        let page = String(decoding: data, as: UTF8.self)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(page.contains(#"<canvas id="pendulum""#) && page.contains(#"<canvas id="plot""#))
        #expect(page.contains("/stream"))
    }

    /// The stream: a source line first, then frames whose time advances at the replay speed the
    /// client asked for.
    @Test func theStreamCarriesFramesAtTheRequestedSpeed() async throws {
        let csv = try ViewHarness.swingingTrajectory()
        defer { try? FileManager.default.removeItem(at: csv) }
        let view = try await ViewHarness(source: ReplaySource(url: csv))
        let received = Mutex<[String]>([])
        let wall = Mutex<Double>(0)
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(view.port)/stream", logger: Logger(label: "test")) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"speed": 3}"#))
            let start = ContinuousClock.now
            for try await message in inbound.messages(maxSize: 1 << 16) {
                guard case .text(let text) = message else { continue }
                let count = received.withLock { $0.append(text); return $0.count }
                if count >= 60 { break }
            }
            let elapsed = ContinuousClock.now - start
            wall.withLock { $0 = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18 }
            try await outbound.close(.normalClosure, reason: nil)
        }
        await view.stop()
        let messages = received.withLock { $0 }
        #expect(messages.first?.contains("replay of") == true)
        let frames = messages.dropFirst().compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(frames.count == messages.count - 1)
        let times = frames.compactMap { $0["t"] as? Double }
        #expect(times.count == frames.count && times.count > 50)
        // Played time over wall time ≈ 3 (frames after the speed message arrived).
        let tail = Array(times.suffix(40))
        let played = tail.last! - tail.first!
        #expect(played > 0)
        #expect(view.hub.controls.speed == 3)
        #expect(Set(frames.compactMap { $0["pendulum"] as? Double }).count > 10, "the pendulum moves")
        _ = wall
    }

    /// Arrow keys over the WebSocket drive the simulated pendulum: full positive duty turns the
    /// arm the positive way, full negative duty the other.
    @Test func keyboardDutyDrivesTheSimulatedArm() async throws {
        let view = try await ViewHarness(source: SimulatedEpisodeSource(robot: ViewHarness.robot, policy: nil))
        let arm = Mutex<[Double]>([])
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(view.port)/stream", logger: Logger(label: "test")) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"duty": 1}"#))
            var count = 0
            for try await message in inbound.messages(maxSize: 1 << 16) {
                guard case .text(let text) = message,
                      let f = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                      let a = f["arm"] as? Double, let mode = f["mode"] as? String else { continue }
                #expect(mode == "keyboard")
                count += 1
                if count == 15 { arm.withLock { $0.append(a) }; try await outbound.write(.text(#"{"duty": -1}"#)) }
                if count == 45 { arm.withLock { $0.append(a) }; break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        await view.stop()
        let a = arm.withLock { $0 }
        try #require(a.count == 2)
        #expect(a[0] > 0.02, "duty +1 for ~0.25 s turns the arm positive: \(a)")
        #expect(a[1] < a[0], "duty −1 turns it back: \(a)")
    }
}
