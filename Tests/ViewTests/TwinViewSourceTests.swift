import Foundation
import Testing
import Twin
@testable import View

/// `furuta view --twin-udp` shows a running twin directly: its physics, sent by
/// `TwinViewPublisher` from its own thread, arrives as frames that follow the pendulum.
@Suite struct TwinViewSourceTests {
    @Test func aSwingingTwinArrivesAsMovingFrames() async throws {
        // Released from 2 rad with nothing driving it: it swings, so the frames must move.
        let plant = try PhysicsPlant(description: ViewHarness.robot, initialPendulumAngle: 2)
        let device = try VirtualDevice(plant: plant)
        device.start()
        defer { device.close() }
        let port = UInt16.random(in: 40_001...60_000)
        let hub = FrameHub(sourceDescription: "test", maximumRateHz: 1000)
        let source = Task { try await ControllerTelemetrySource(port: port, sender: .twin).run(into: hub) }
        defer { source.cancel() }
        let publisher = try #require(TwinViewPublisher(device: device, address: "127.0.0.1:\(port)"))
        publisher.start()
        defer { publisher.stop() }

        var angles: [Double] = [], lastTime = -1.0
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline, angles.count < 40 {
            try await Task.sleep(for: .milliseconds(25))
            guard let frame = hub.latest, frame.timeS != lastTime else { continue }
            #expect(frame.mode == "twin")
            lastTime = frame.timeS
            angles.append(frame.pendulumAngleRad)
        }
        #expect(angles.count >= 40, "frames arrived: \(angles.count)")
        // A free pendulum from 2 rad swings through the bottom to about −2 rad and back.
        #expect((angles.max() ?? 0) - (angles.min() ?? 0) > 1, "the frames follow the swing: \(angles)")
        // What arrives is what the twin's physics holds (to the JSON's 5 significant digits).
        let now = try #require(TwinViewPublisher.frame(of: device))
        #expect(abs(now.pendulumAngleRad) <= 2.05, "never beyond the release angle: \(now.pendulumAngleRad)")
    }

    @Test func theTwinsJSONDatagramRoundTrips() throws {
        let frame = ViewFrame(timeS: 1.25, armAngleRad: -0.5, pendulumAngleRad: 3.125, armVelocityRadPerS: 2,
                              pendulumVelocityRadPerS: -4, duty: 0.25, mode: "twin")
        #expect(ViewFrame(json: frame.json()) == frame)
        #expect(ViewFrame(json: "{\"t\":1}") == nil)
        #expect(ViewFrame(json: "not json") == nil)
    }

    @Test func onlyLoopbackAddressesAreSentTo() throws {
        let device = try VirtualDevice(plant: try PhysicsPlant(description: ViewHarness.robot))
        defer { device.close() }
        #expect(TwinViewPublisher(device: device, address: "192.168.1.2:9871") == nil)
        #expect(TwinViewPublisher(device: device, address: "127.0.0.1:9871") != nil)
    }
}
