import Controller
import Foundation
import Testing
@testable import View

@Suite struct ControllerTelemetrySourceTests {
    /// The controller's publisher (what its drain thread calls) and the view's UDP source agree
    /// on the datagram: the --log CSV line.
    @Test func recordsSentByTheControllerArriveAsFrames() async throws {
        let port = UInt16.random(in: 20_000...40_000)
        let hub = FrameHub(sourceDescription: "test", maximumRateHz: 1000)
        let source = Task { try await ControllerTelemetrySource(port: port).run(into: hub) }
        defer { source.cancel() }
        let publisher = try #require(TelemetryPublisher(address: "127.0.0.1:\(port)"))
        var record = TickRecord()
        record.phase = .running
        record.hasSample = true
        for k in 1...200 where hub.latest == nil || hub.latest!.timeS < 0.05 {
            record.tick = Int64(k)
            record.deadlineNanoseconds = Int64(k) * 1_000_000
            record.armAngle = 0.125
            record.pendulumAngle = 3.0
            record.dutyApplied = -0.5
            publisher.publish(record)
            try await Task.sleep(for: .milliseconds(5))
        }
        let frame = try #require(hub.latest)
        #expect(frame.armAngleRad == 0.125 && frame.pendulumAngleRad == 3 && frame.duty == -0.5)
        #expect(frame.mode == "running")
        #expect(frame.timeS > 0.01)
    }

    @Test func onlyLoopbackAddressesArePublishedTo() {
        #expect(TelemetryPublisher(address: "10.0.0.1:9870") == nil)
        #expect(TelemetryPublisher(address: "127.0.0.1:notaport") == nil)
        #expect(TelemetryPublisher(address: ":9870") != nil)
    }
}
