import FirmwareLink
import Foundation
import Testing
import Twin

/// Scheduled faults: brownout, stall, disconnect, reply delay, and the speed factor.
@Suite(.serialized) struct VirtualDeviceFaultTests {
    @Test func brownoutResetsTheDeviceWhichSaysSoAfterANewHandshake() throws {
        var faults = FaultInjection()
        faults.brownoutAfter = 0.3
        try withTwin(faults: faults) { device, link in
            try link.handshake()
            _ = try link.rearm()
            _ = try link.configure(Configuration(watchdogTimeoutMilliseconds: 1000, dutyLimit: 1))
            #expect(try link.command(Command(duty: 0.5)).appliedDutyQ15 > 0)
            #expect(eventually(within: .seconds(2)) { device.snapshot.brownouts == 1 })
            #expect(device.snapshot.appliedDutyQ15 == 0)

            // Before a new handshake the device refuses, naming the reset reason.
            _ = try link.send(.command(Command(duty: 0.5)))
            let refusal = try link.receive(timeout: .milliseconds(300), waitingFor: "not-ready fault") { message in
                if case .fault(let fault) = message, fault.code == .notReady { fault } else { nil }
            }
            #expect(ResetReason(rawValue: refusal.detail) == .brownout)
            let info = try link.handshake()
            #expect(info.resetReason == .brownout)
            let state = try link.rearm()
            #expect(state.armCounts < 50) // encoder counters restarted with the device
        }
    }

    @Test func aStalledDeviceStopsAnsweringAndItsWatchdogStopsTheMotor() throws {
        var faults = FaultInjection()
        faults.stallAfter = 0.3
        try withTwin(faults: faults) { device, link in
            try link.handshake()
            _ = try link.rearm()
            #expect(try link.command(Command(duty: 0.5)).appliedDutyQ15 > 0)
            #expect(eventually(within: .seconds(2)) { device.snapshot.isStalled })
            #expect(throws: LinkError.self) { try link.ping(timeout: .milliseconds(200)) }
            #expect(eventually(within: .milliseconds(500)) { device.snapshot.appliedDutyQ15 == 0 })
            #expect(device.snapshot.status.contains(.watchdogTripped))
        }
    }

    @Test func aDisconnectIsReportedAsDisconnected() throws {
        var faults = FaultInjection()
        faults.disconnectAfter = 0.2
        try withTwin(faults: faults) { device, link in
            try link.handshake()
            #expect(eventually(within: .seconds(2)) { device.snapshot.isDisconnected })
            #expect(throws: LinkError.disconnected(port: device.slavePath)) {
                for _ in 0..<10 { _ = try link.receive(timeout: .milliseconds(50)) }
            }
        }
    }

    @Test func replyDelayIsAddedToEveryRoundTrip() throws {
        var faults = FaultInjection()
        faults.replyDelay = .milliseconds(30)
        try withTwin(faults: faults) { _, link in
            try link.handshake()
            let start = ContinuousClock.now
            _ = try link.ping()
            #expect(ContinuousClock.now - start >= .milliseconds(30))
        }
    }

    @Test func speedScalesTheDeviceClock() throws {
        try withTwin(speed: 3) { _, link in
            try link.handshake()
            let first = try link.ping()
            Thread.sleep(forTimeInterval: 0.2)
            let second = try link.ping()
            let deviceMs = Double(second - first) / 1000
            #expect(deviceMs > 540 && deviceMs < 750, "device advanced \(deviceMs) ms in 200 ms at speed 3")
        }
    }
}
