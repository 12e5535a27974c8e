import FirmwareLink
import Foundation

/// A simulated ESP32 on a real pseudo-terminal: the C firmware core (the same code as on the
/// board) runs on the master side, its encoders and motor wired to a `TwinPlant`, in real time
/// scaled by `speed`. A host opens `slavePath` exactly as it would /dev/ttyACM0.
///
/// Each pass of its thread (at least every `tick`, sooner when bytes arrive):
///   1. device time += wall time elapsed × speed; scheduled faults fire;
///   2. the plant advances by that much with the duty applied so far;
///   3. encoders are sampled; host bytes (through the faults) reach the firmware;
///   4. `fp_device_poll` handles frames and runs the watchdog;
///   5. the firmware's replies go through the faults and the delay queue to the host.
public final class VirtualDevice: @unchecked Sendable {
    public struct Options: Sendable {
        /// Device seconds per wall second.
        public var speed: Double = 1
        public var faults = FaultInjection.none
        public var identity = TwinIdentity()
        /// Longest wait between passes when the host is silent.
        public var tick: Duration = .microseconds(500)

        public init() {}
    }

    /// A consistent view of the device, for tests and status lines.
    public struct Snapshot: Sendable {
        public var deviceTimeMicroseconds: UInt64
        /// What reaches the motor now, 1/32767 units.
        public var appliedDutyQ15: Int16
        public var appliedDuty: Double { DutyScale.duty(appliedDutyQ15) }
        public var mode: DeviceMode
        public var status: DeviceStatus
        public var resetReason: ResetReason
        public var watchdogTimeoutMilliseconds: UInt16
        public var commandsApplied: Int
        public var watchdogTrips: Int
        public var handshakesRefused: Int
        /// Host frames missing from the host's sequence numbers.
        public var sequenceGaps: Int
        /// The firmware's decoder counters: what reached it, and what it dropped.
        public var received: DecoderStatistics
        public var hostToDevice: FaultCounters
        public var deviceToHost: FaultCounters
        public var brownouts: Int
        /// Reply bytes lost because the host did not read and the pty queue was full.
        public var overflowedBytes: Int
        public var isStalled: Bool
        public var isDisconnected: Bool
        public var isRunning: Bool
    }

    public let slavePath: String
    public let options: Options
    private let terminal: PseudoTerminal
    private let lock = NSLock()
    private let stopped = DispatchSemaphore(value: 0)

    // Guarded by `lock`.
    private var plant: any TwinPlant
    private let core: FirmwareCore
    private var encoderOffset: (arm: Int32, pendulum: Int32) = (0, 0)
    private var inbound: ByteFaults
    private var outbound: ByteFaults
    private var delayed: [(releaseNanoseconds: UInt64, bytes: [UInt8])] = []
    private var brownouts = 0
    private var overflowedBytes = 0
    private var isStalled = false
    private var isDisconnected = false
    private var isRunning = false
    private var stopRequested = false

    /// Opens the pseudo-terminal and boots the firmware (reset reason power-on). Call `start()`.
    public convenience init(plant: any TwinPlant, options: Options = Options()) throws(LinkError) {
        try self.init(plant: plant, terminal: PseudoTerminal(), options: options)
    }

    /// Play the device on an existing pseudo-terminal (e.g. one umockdev created for a fake
    /// USB serial device) instead of a fresh one.
    public init(plant: any TwinPlant, terminal: PseudoTerminal, options: Options = Options()) {
        self.terminal = terminal
        slavePath = terminal.slavePath
        self.options = options
        self.plant = plant
        core = FirmwareCore(identity: options.identity,
                            armCountsPerRevolution: plant.armCountsPerRevolution,
                            pendulumCountsPerRevolution: plant.pendulumCountsPerRevolution)
        inbound = ByteFaults(options.faults, stream: 1)
        outbound = ByteFaults(options.faults, stream: 2)
        core.boot(resetReason: .powerOn)
    }

    deinit {
        stop()
        terminal.close()
    }

    /// Starts the device thread.
    public func start() {
        lock.lock()
        defer { lock.unlock() }
        guard !isRunning, !isDisconnected else { return }
        isRunning = true
        stopRequested = false
        let thread = Thread { [self] in run() }
        thread.name = "furuta-twin"
        thread.start()
    }

    /// Stops the device thread and waits for it. The pty stays open until deinit or `close()`.
    public func stop() {
        lock.lock()
        let wasRunning = isRunning
        stopRequested = true
        lock.unlock()
        if wasRunning { stopped.wait() }
    }

    /// Stops and closes the pty (the host sees a disconnect).
    public func close() {
        stop()
        terminal.close()
    }

    /// Makes `path` a symbolic link to the slave.
    public func createLink(at path: String) throws(LinkError) { try terminal.createLink(at: path) }

    public var snapshot: Snapshot {
        lock.lock()
        defer { lock.unlock() }
        let c = core.counters
        return Snapshot(
            deviceTimeMicroseconds: core.nowMicroseconds, appliedDutyQ15: core.dutyQ15,
            mode: core.mode, status: core.status, resetReason: core.resetReason,
            watchdogTimeoutMilliseconds: core.watchdogTimeoutMilliseconds,
            commandsApplied: Int(c.commands_applied), watchdogTrips: Int(c.watchdog_trips),
            handshakesRefused: Int(c.handshakes_refused), sequenceGaps: Int(c.sequence_gaps),
            received: core.decoderStatistics, hostToDevice: inbound.counters,
            deviceToHost: outbound.counters, brownouts: brownouts, overflowedBytes: overflowedBytes, isStalled: isStalled,
            isDisconnected: isDisconnected, isRunning: isRunning)
    }

    /// Every change of the motor duty since boot (the most recent 2048–4096), device clock.
    public var dutyChanges: [DutyChange] {
        lock.lock()
        defer { lock.unlock() }
        return core.dutyChanges
    }

    /// Access to the plant under the device's lock (e.g. to reset it or read its state).
    public func withPlant<R>(_ body: (inout any TwinPlant) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&plant)
    }

    // MARK: the device thread

    private func run() {
        var readBuffer = [UInt8](repeating: 0, count: 1024)
        var passed: [UInt8] = []
        var lastNanoseconds = DispatchTime.now().uptimeNanoseconds
        var deviceNanoseconds: Double = 0
        defer {
            lock.lock()
            isRunning = false
            lock.unlock()
            stopped.signal()
        }
        while true {
            // Wait outside the lock: for host bytes, or one tick.
            let stalledNow = withLock { isStalled || isDisconnected }
            if stalledNow {
                Thread.sleep(forTimeInterval: options.tick / .seconds(1))
            } else {
                do {
                    _ = try terminal.waitForInput(timeout: options.tick)
                } catch {
                    withLock { isDisconnected = true }
                    return
                }
            }
            lock.lock()
            defer { lock.unlock() }
            if stopRequested { return }

            let now = DispatchTime.now().uptimeNanoseconds
            let seconds = Double(now - lastNanoseconds) * 1e-9 * options.speed
            lastNanoseconds = now
            deviceNanoseconds += seconds * 1e9
            let deviceSeconds = deviceNanoseconds * 1e-9

            if let t = options.faults.disconnectAfter, deviceSeconds >= t, !isDisconnected {
                // The cable is gone but the board keeps its own supply: the firmware goes on
                // running (its watchdog zeroes the motor), only the serial link is dead.
                terminal.close()
                isDisconnected = true
            }
            if let t = options.faults.brownoutAfter, deviceSeconds >= t, brownouts == 0 {
                brownouts += 1
                encoderOffset = (plant.armCounts, plant.pendulumCounts) // counters restart at 0
                delayed.removeAll()
                core.output.removeAll()
                core.boot(resetReason: .brownout)
            }
            if let t = options.faults.stallAfter, deviceSeconds >= t { isStalled = true }

            plant.advance(duty: DutyScale.duty(core.dutyQ15), seconds: seconds)
            if deviceSeconds < options.faults.freezeClockAfter ?? .infinity {
                core.nowMicroseconds = UInt64(deviceNanoseconds / 1000)
                core.encoderCounts = (plant.armCounts &- encoderOffset.arm,
                                      plant.pendulumCounts &- encoderOffset.pendulum)
            }

            if !isStalled && !isDisconnected {
                do {
                    while true {
                        let count = try readBuffer.withUnsafeMutableBytes { buffer in
                            Result { () throws(LinkError) in try terminal.readAvailable(into: buffer) }
                        }.get()
                        if count == 0 { break }
                        passed.removeAll(keepingCapacity: true)
                        readBuffer.withUnsafeBytes {
                            inbound.apply(UnsafeRawBufferPointer(rebasing: $0[..<count]), into: &passed)
                        }
                        core.receive(passed)
                    }
                } catch {
                    isDisconnected = true
                }
            }
            core.poll()

            if !core.output.isEmpty {
                var faulted: [UInt8] = []
                core.output.withUnsafeBytes { outbound.apply($0, into: &faulted) }
                core.output.removeAll(keepingCapacity: true)
                let release = now + UInt64(max(0, options.faults.replyDelay / .nanoseconds(1)))
                if !faulted.isEmpty { delayed.append((release, faulted)) }
            }
            if isDisconnected { delayed.removeAll() }
            if !isStalled && !isDisconnected {
                while let first = delayed.first, first.releaseNanoseconds <= now {
                    delayed.removeFirst()
                    do {
                        let written = try first.bytes.withUnsafeBytes { bytes in
                            Result { () throws(LinkError) in try terminal.writeAvailable(bytes) }
                        }.get()
                        overflowedBytes += first.bytes.count - written
                    } catch {
                        isDisconnected = true
                        break
                    }
                }
            }
        }
    }

    private func withLock<R>(_ body: () -> R) -> R {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}
