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
    /// client asked for (played seconds per wall second, over the frames after the request).
    @Test func theStreamCarriesFramesAtTheRequestedSpeed() async throws {
        let csv = try ViewHarness.swingingTrajectory()
        defer { try? FileManager.default.removeItem(at: csv) }
        let view = try await ViewHarness(source: ReplaySource(url: csv))
        let received = Mutex<[(wall: Double, text: String)]>([])
        try await WebSocketClient.connect(url: "ws://127.0.0.1:\(view.port)/stream", logger: Logger(label: "test")) { inbound, outbound, _ in
            try await outbound.write(.text(#"{"speed": 3}"#))
            let start = ContinuousClock.now
            for try await message in inbound.messages(maxSize: 1 << 16) {
                guard case .text(let text) = message else { continue }
                let e = ContinuousClock.now - start
                let wall = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
                let count = received.withLock { $0.append((wall, text)); return $0.count }
                if count >= 120 { break }
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
        await view.stop()
        let messages = received.withLock { $0 }
        #expect(messages.first?.text.contains("replay of") == true)
        let frames = messages.dropFirst().compactMap { m -> (wall: Double, f: [String: Any])? in
            (try? JSONSerialization.jsonObject(with: Data(m.text.utf8)) as? [String: Any]).map { (m.wall, $0) }
        }
        #expect(frames.count == messages.count - 1)
        #expect(view.hub.controls.speed == 3)
        #expect(Set(frames.compactMap { $0.f["pendulum"] as? Double }).count > 10, "the pendulum moves")
        // Skip the first frames (sent before the speed arrived); the 4 s replay loops, so count
        // only steps where its time went forward.
        var played = 0.0, wall = 0.0
        let later = Array(frames.dropFirst(20))
        for (a, b) in zip(later, later.dropFirst()) {
            guard let ta = a.f["t"] as? Double, let tb = b.f["t"] as? Double, tb > ta else { continue }
            played += tb - ta
            wall += b.wall - a.wall
        }
        #expect(wall > 0.2)
        #expect(abs(played / wall - 3) < 0.6, "replayed \(played) s in \(wall) s of wall time")
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
