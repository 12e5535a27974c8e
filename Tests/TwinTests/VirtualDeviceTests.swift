import FirmwareLink
import Foundation
import Testing
import Twin

/// The twin over a real pseudo-terminal, driven by the host's DeviceLink.
@Suite(.serialized) struct VirtualDeviceTests {
    @Test func handshakeReportsTheTwinsIdentity() throws {
        var identity = TwinIdentity()
        identity.firmwareVersion = FirmwareVersion(major: 1, minor: 4, patch: 2)
        identity.serial = 0xA4CF_1234_5678
        try withTwin(identity: identity) { device, link in
            let info = try link.handshake()
            #expect(info.protocolVersion == ProtocolIdentity.version)
            #expect(info.schemaHash == ProtocolIdentity.schemaHash)
            #expect(info.firmwareVersion.description == "1.4.2")
            #expect(info.resetReason == .powerOn)
            #expect(info.armCountsPerRevolution == 2048)
            #expect(info.pendulumCountsPerRevolution == 4096)
            #expect(info.serialHex == "0000a4cf12345678")
            #expect(device.snapshot.mode == .disarmed)
        }
    }

    @Test func commandsChangeTheAppliedDutyOnlyOnceArmed() throws {
        try withTwin { device, link in
            try link.handshake()
            let disarmed = try link.command(Command(duty: 0.5))
            #expect(disarmed.appliedDutyQ15 == 0)
            #expect(disarmed.mode == .disarmed)
            #expect(device.snapshot.appliedDutyQ15 == 0)

            #expect(try link.rearm().mode == .armed)
            let first = try link.command(Command(duty: 0.5))
            #expect(first.appliedDutyQ15 == 16384)
            #expect(device.snapshot.appliedDutyQ15 == 16384)
            Thread.sleep(forTimeInterval: 0.05)
            let later = try link.command(Command(duty: -0.25))
            #expect(later.appliedDutyQ15 == DutyScale.quantise(-0.25))
            #expect(later.armCounts > first.armCounts) // the plant turned under +0.5
            #expect(later.timeMicroseconds > first.timeMicroseconds + 40_000)
            #expect(later.pendulumCounts == 1024)

            let applied = try link.configure(Configuration(watchdogTimeoutMilliseconds: 200, dutyLimit: 0.3))
            #expect(applied.dutyLimitQ15 == DutyScale.quantise(0.3))
            let limited = try link.command(Command(duty: -0.9))
            #expect(limited.appliedDutyQ15 == -DutyScale.quantise(0.3))
            #expect(limited.status.contains(.dutyLimited))
            #expect(device.snapshot.appliedDutyQ15 == -DutyScale.quantise(0.3))

            let stopped = try link.command(Command(duty: 0.9, flags: .emergencyStop))
            #expect(stopped.appliedDutyQ15 == 0)
            #expect(stopped.status.contains(.emergencyStop))
            #expect(try link.command(Command(duty: 0.2)).appliedDutyQ15 == 0) // latched
        }
    }

    @Test func watchdogZeroesTheMotorWithinItsTimeoutAndStaysZeroUntilRearmed() throws {
        try withTwin { device, link in
            try link.handshake()
            let timeoutMs: UInt16 = 50
            _ = try link.configure(Configuration(watchdogTimeoutMilliseconds: timeoutMs, dutyLimit: 1))
            _ = try link.rearm()
            var last = try link.command(Command(duty: 0.4))
            for _ in 0..<20 {
                Thread.sleep(forTimeInterval: 0.005)
                last = try link.command(Command(duty: 0.4))
            }
            #expect(device.snapshot.appliedDutyQ15 == DutyScale.quantise(0.4))

            // Commands stop here.
            let fault = try link.receive(timeout: .milliseconds(500), waitingFor: "watchdog fault") { message in
                if case .fault(let fault) = message, fault.code == .watchdog { fault } else { nil }
            }
            #expect(fault.status.contains(.watchdogTripped))
            let zeroing = try #require(device.dutyChanges.last { $0.timeMicroseconds > last.timeMicroseconds })
            #expect(zeroing.dutyQ15 == 0)
            let delayMs = Double(zeroing.timeMicroseconds - last.timeMicroseconds) / 1000
            print("watchdog: motor zeroed \(delayMs) ms after the last command (timeout \(timeoutMs) ms)")
            #expect(delayMs > Double(timeoutMs))
            #expect(delayMs <= Double(timeoutMs) + 25) // + the twin's pass granularity under load

            // Still latched: waiting and late commands do not restart the motor.
            Thread.sleep(forTimeInterval: 0.1)
            let late = try link.command(Command(duty: 0.4))
            #expect(late.appliedDutyQ15 == 0)
            #expect(late.status.contains(.watchdogTripped))
            #expect(late.mode == .disarmed)
            #expect(device.dutyChanges.filter { $0.timeMicroseconds >= zeroing.timeMicroseconds }.allSatisfy { $0.dutyQ15 == 0 })
            #expect(device.snapshot.appliedDutyQ15 == 0)

            let rearmed = try link.rearm()
            #expect(!rearmed.status.contains(.watchdogTripped))
            #expect(try link.command(Command(duty: 0.4)).appliedDutyQ15 == DutyScale.quantise(0.4))
            #expect(device.snapshot.watchdogTrips == 1)
        }
    }

    @Test func droppedAndCorruptedBytesAreCountedAndNeverDelivered() throws {
        var faults = FaultInjection()
        faults.corruptByteProbability = 0.004
        faults.dropByteProbability = 0.002
        faults.dropFrameProbability = 0.02
        try withTwin(faults: faults) { device, link in
            try link.handshake(timeout: .seconds(3))
            _ = try link.configure(Configuration(watchdogTimeoutMilliseconds: 2000, dutyLimit: 1), timeout: .seconds(1))
            var armed = false
            for _ in 0..<20 where !armed { armed = (try? link.rearm(timeout: .milliseconds(50))) != nil }
            try #require(armed)

            var sentDuty: [UInt16: Int16] = [:]
            var commanded: Set<Int16> = [0]
            var answered = 0
            for i in 0..<1500 {
                let duty = Int16(i * 37 % 20000 - 10000)
                let sequence = try link.send(.command(Command(dutyQ15: duty, flags: .enable)))
                sentDuty[sequence] = duty
                commanded.insert(duty)
                while let frame = try link.receive(timeout: .milliseconds(4)) {
                    guard case .state(let state) = frame.message, state.mode == .armed else { continue }
                    // A state is only ever about a command we sent, with exactly its duty.
                    #expect(sentDuty[state.lastCommandSequence] == state.appliedDutyQ15)
                    answered += 1
                    if state.lastCommandSequence == sequence { break }
                }
            }
            let snapshot = device.snapshot
            let counters = link.counters
            print("faults: host→device \(snapshot.hostToDevice), device→host \(snapshot.deviceToHost); "
                  + "device decoder dropped \(snapshot.received.corruptFrames) corrupt frames, saw \(snapshot.sequenceGaps) lost; "
                  + "host \(counters); \(answered)/1500 commands answered")
            // Only commanded duties (or zero) ever reached the motor.
            #expect(device.dutyChanges.allSatisfy { commanded.contains($0.dutyQ15) })
            #expect(snapshot.hostToDevice.bytesCorrupted > 0 && snapshot.deviceToHost.bytesCorrupted > 0)
            #expect(snapshot.hostToDevice.framesDropped > 0 && snapshot.deviceToHost.framesDropped > 0)
            #expect(snapshot.received.corruptFrames > 0)
            #expect(snapshot.sequenceGaps > 0)
            #expect(counters.corruptFrames > 0)
            #expect(counters.lostFrames > 0)
            #expect(answered > 1000)
        }
    }

    @Test func aDeviceSpeakingAnotherProtocolVersionIsRefusedByName() throws {
        var identity = TwinIdentity()
        identity.protocolSide = ProtocolSide(version: ProtocolIdentity.version + 1, schemaHash: 0x1234_5678)
        identity.firmwareVersion = FirmwareVersion(major: 9, minor: 0, patch: 1)
        try withTwin(identity: identity) { device, link in
            let error = #expect(throws: LinkError.self) { try link.handshake() }
            guard case .protocolMismatch(let mismatch) = error else {
                Issue.record("expected a protocol mismatch, got \(String(describing: error))")
                return
            }
            #expect(mismatch.host.version == ProtocolIdentity.version)
            #expect(mismatch.device.version == ProtocolIdentity.version + 1)
            let text = mismatch.description
            #expect(text.contains("protocol version mismatch"))
            #expect(text.contains("this host speaks protocol \(ProtocolIdentity.version)"))
            #expect(text.contains("speaks protocol \(ProtocolIdentity.version + 1)"))
            #expect(text.contains("firmware 9.0.1"))
            #expect(text.contains(device.slavePath))
            #expect(device.snapshot.mode == .waitingForHandshake)
        }
    }

    @Test func aHostSpeakingAnotherVersionOrSchemaIsRefusedByTheDevice() throws {
        let otherVersion = ProtocolSide(version: 7, schemaHash: ProtocolIdentity.schemaHash)
        try withTwin(hostSide: otherVersion) { device, link in
            let error = #expect(throws: LinkError.self) { try link.handshake() }
            #expect(error == .protocolMismatch(ProtocolMismatch(
                port: device.slavePath, host: otherVersion, device: .thisBuild,
                firmwareVersion: TwinIdentity().firmwareVersion)))
            #expect(device.snapshot.handshakesRefused >= 1)
            // And the refused host cannot drive the motor.
            _ = try link.send(.rearm)
            _ = try link.send(.command(Command(duty: 1)))
            let reply = try link.receive(timeout: .milliseconds(200), waitingFor: "fault") { message in
                if case .fault(let fault) = message { fault } else { nil }
            }
            #expect(reply.code == .notReady)
            #expect(device.snapshot.appliedDutyQ15 == 0)
        }
        let otherSchema = ProtocolSide(version: ProtocolIdentity.version, schemaHash: ProtocolIdentity.schemaHash ^ 1)
        try withTwin(hostSide: otherSchema) { _, link in
            #expect { try link.handshake() } throws: { error in
                "\(error)".contains("message schema mismatch")
            }
        }
    }
}
