import FirmwareLink
import Foundation

/// A simulated ESP32 on a real pseudo-terminal: the C firmware core (the same code as on the
/// board) runs on the master side, its encoders and motor wired to a `TwinPlant`, in real time
/// scaled by `speed`. A host opens `slavePath` exactly as it would /dev/ttyACM0.
///
/// Its thread keeps a device clock like the board's main loop: one pass every `tick` on an
/// absolute CLOCK_MONOTONIC schedule, on SCHED_FIFO where permitted (`fifoPriority`; refused
/// → `Snapshot.realtimeWarning`), so a loaded host does not make the rig miss its own
/// deadlines. A pass that starts more than `deadlineMissTolerance` late is counted
/// (`Snapshot.deadlineMisses`). The state it shares with other threads (snapshots, the plant)
/// is guarded by a priority-inheritance mutex, so an ordinary thread preempted while reading a
/// snapshot cannot hold the device clock up (priority inversion). Each pass:
///   1. device time += wall time elapsed × speed; scheduled faults fire;
///   2. the plant advances by that much with the duty applied so far;
///   3. encoders are sampled; host bytes (through the faults and the link model's host → device
///      direction) reach the firmware when they arrive;
///   4. `fp_device_poll` handles frames and runs the watchdog;
///   5. the firmware's replies go through the faults and the link model's device → host
///      direction (byte timing, USB frames, latency) to the host.
public final class VirtualDevice: @unchecked Sendable {
    public struct Options: Sendable {
        /// Device seconds per wall second.
        public var speed: Double = 1
        public var faults = FaultInjection.none
        public var identity = TwinIdentity()
        /// The device loop's period (an ESP32 main loop polls its UART at least this often).
        public var tick: Duration = .microseconds(250)
        /// Timing of the cable: byte timing, USB frames, latency each way.
        public var link = LinkModel.ideal
        /// SCHED_FIFO priority of the device thread, nil for an ordinary thread.
        public var fifoPriority: Int32? = 70
        /// A pass starting later than this after its deadline is a deadline miss.
        public var deadlineMissTolerance: Duration = .milliseconds(1)

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
        /// Device-loop passes run, and how many started later than the miss tolerance.
        public var passes: Int
        public var deadlineMisses: Int
        /// Latest pass start after its deadline, µs.
        public var worstLatenessMicroseconds: Int64
        /// SCHED_FIFO priority granted to the device thread, nil if none.
        public var fifoPriority: Int32?
        /// Why SCHED_FIFO was not granted, nil if it was (or was not asked for).
        public var realtimeWarning: String?
    }

    public let slavePath: String
    public let options: Options
    private let terminal: PseudoTerminal
    private let lock = PriorityInheritanceLock()
    private let stopped = DispatchSemaphore(value: 0)

    // Guarded by `lock`.
    private var plant: any TwinPlant
    private let core: FirmwareCore
    private var encoderOffset: (arm: Int32, pendulum: Int32) = (0, 0)
    private var inbound: ByteFaults
    private var outbound: ByteFaults
    private var toDevice: DelayLine
    private var toHost: DelayLine
    private var passes = 0
    private var deadlineMisses = 0
    private var worstLateness: Int64 = 0
    private var grantedPriority: Int32?
    private var realtimeWarning: String?
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
        var link = options.link
        link.deviceToHost.base += options.faults.replyDelay
        toDevice = DelayLine(model: link, latency: link.hostToDevice, seed: options.faults.seed ^ 0xD0)
        toHost = DelayLine(model: link, latency: link.deviceToHost, seed: options.faults.seed ^ 0xD1)
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
            isDisconnected: isDisconnected, isRunning: isRunning, passes: passes, deadlineMisses: deadlineMisses,
            worstLatenessMicroseconds: worstLateness / 1000, fifoPriority: grantedPriority, realtimeWarning: realtimeWarning)
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
        var faulted: [UInt8] = []
        let warning = options.fifoPriority.flatMap { DeviceClock.enterFIFO(priority: $0) }
        withLock {
            realtimeWarning = warning
            grantedPriority = warning == nil ? options.fifoPriority : nil
        }
        let tick = max(options.tick.nanosecondsValue, 50_000)
        let tolerance = options.deadlineMissTolerance.nanosecondsValue
        var lastNanoseconds = DeviceClock.nanoseconds()
        var deadline = lastNanoseconds + tick
        var deviceNanoseconds: Double = 0
        defer {
            lock.lock()
            isRunning = false
            lock.unlock()
            stopped.signal()
        }
        while true {
            // Sleep outside the lock until this pass's deadline; a late pass is a miss, and
            // passes missed entirely are skipped (the schedule keeps its phase).
            DeviceClock.sleep(until: deadline)
            let now = DeviceClock.nanoseconds()
            let lateness = now - deadline
            deadline += tick
            if lateness >= tick { deadline += lateness / tick * tick }

            lock.lock()
            defer { lock.unlock() }
            if stopRequested { return }
            passes += 1
            if lateness > tolerance { deadlineMisses += 1 }
            worstLateness = max(worstLateness, lateness)

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
                toHost.clear()
                toDevice.clear()
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
                        toDevice.push(passed, at: now)
                    }
                } catch {
                    isDisconnected = true
                }
                toDevice.release(upTo: now) { core.receive($0) }
            }
            core.poll()

            if !core.output.isEmpty {
                faulted.removeAll(keepingCapacity: true)
                core.output.withUnsafeBytes { outbound.apply($0, into: &faulted) }
                core.output.removeAll(keepingCapacity: true)
                toHost.push(faulted, at: now)
            }
            if isDisconnected {
                toHost.clear()
            } else if !isStalled {
                toHost.release(upTo: now) { bytes in
                    guard !isDisconnected else { return }
                    do {
                        let written = try bytes.withUnsafeBytes { raw in
                            Result { () throws(LinkError) in try terminal.writeAvailable(raw) }
                        }.get()
                        overflowedBytes += bytes.count - written
                    } catch {
                        isDisconnected = true
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
