import FirmwareLink
import Synchronization

/// The timing and I/O shell around a `ControlLoop`, run on the loop thread. Each period:
///
///  1. sleep until the absolute deadline (clock_nanosleep TIMER_ABSTIME); if the wake-up is a
///     whole period or more late, skip those periods (keep phase: deadlines stay on the grid
///     start + k·T) and tell the core how many;
///  2. request a fresh state: re-send the held command (same duty, so the motor does not change;
///     it feeds the firmware watchdog) and wait for the state answering it as `timing` says
///     (a wait and a number of attempts derived from the link measured at connect time, see
///     `LinkTiming`), handing any `fault` message to the core;
///  3. `ControlLoop.step` → command; send it at once (state sampled → duty applied in about one
///     round trip, close to the 4 ms latency the simulator models);
///  4. push the period's `TickRecord` into the ring.
///
/// After `start` nothing here allocates, locks or touches a file: the link reuses its buffers,
/// histograms and ring are preallocated.
public final class LoopRunner: @unchecked Sendable {
    public let link: DeviceLink
    public let loop: ControlLoop
    public let ring: TelemetryRing
    public let wakeLatency: LatencyHistogram
    public let work: LatencyHistogram
    public let inference: LatencyHistogram
    public let roundTrip: LatencyHistogram
    public let periodNanoseconds: Int64
    /// How long to wait for a state, and how many requests to send for it.
    public let timing: LinkTiming
    /// Monotonic ns at which the session started (times in records are relative to it).
    public let originNanoseconds: Int64
    private let removal: DeviceRemovalWatch?
    /// Extra stop requests (tests, an embedding program): 1 graceful, 2 immediate.
    private let externalStops: ExternalStops
    /// Rows the log could not take (the core stops the run past a limit).
    private let telemetryLoss: TelemetryLoss?
    public private(set) var linkLost = false
    private var tick: Int64 = 0
    /// What the shell schedules and times on (a `ManualClock` in tests of the shell).
    public var clock: any LoopClock = SystemLoopClock()

    public init(link: DeviceLink, loop: ControlLoop, ring: TelemetryRing, histograms: LoopHistograms,
                periodNanoseconds: Int64, timing: LinkTiming, originNanoseconds: Int64,
                removal: DeviceRemovalWatch?, externalStops: ExternalStops, telemetryLoss: TelemetryLoss? = nil) {
        self.link = link
        self.loop = loop
        self.ring = ring
        wakeLatency = histograms.wakeLatency
        work = histograms.work
        inference = histograms.inference
        roundTrip = histograms.roundTrip
        self.periodNanoseconds = periodNanoseconds
        self.timing = timing
        self.originNanoseconds = originNanoseconds
        self.removal = removal
        self.externalStops = externalStops
        self.telemetryLoss = telemetryLoss
    }

    /// The step of the sub-millisecond end of a wait, ns.
    static let pollStepNanoseconds: Int64 = 50_000

    /// Runs periods until the core has stopped. `firstDeadline` is on the monotonic clock.
    public func run(firstDeadline: Int64) {
        var deadline = firstDeadline
        while !loop.isFinished {
            clock.sleep(until: deadline)
            let woke = clock.nanoseconds()
            wakeLatency.record(woke - deadline)
            var skipped = 0
            if woke - deadline >= periodNanoseconds {
                // Overrun: skip whole periods so the tick serves the latest deadline passed.
                skipped = Int((woke - deadline) / periodNanoseconds)
                deadline += Int64(skipped) * periodNanoseconds
            }
            runOnePeriod(deadline: deadline, woke: woke, skipped: skipped)
            deadline += periodNanoseconds
        }
    }

    /// One period's work (also used by the benchmark's interleaved schedule).
    public func runOnePeriod(deadline: Int64, woke: Int64, skipped: Int) {
        var input = TickInput(timeNanoseconds: deadline - originNanoseconds)
        input.skippedPeriods = skipped
        let stops = max(StopSignals.count, externalStops.count)
        input.stop = stops >= 2 ? .immediate : stops == 1 ? .graceful : .none
        input.deviceRemoved = removal?.isRemoved ?? false
        input.linkLost = linkLost

        if !linkLost && !input.deviceRemoved && input.stop != .immediate {
            requestSample(into: &input, deadline: deadline)
            input.linkLost = linkLost
        }
        // Frames that vanished rather than arrived damaged: another reader on the port.
        let counters = link.counters
        input.unexplainedLostFrames = max(0, counters.lostFrames - counters.corruptFrames)
        input.telemetryRowsLost = telemetryLoss?.rows ?? 0

        var record = TickRecord()
        record.tick = tick
        record.deadlineNanoseconds = deadline - originNanoseconds
        record.wakeLatencyNanoseconds = woke - deadline
        let command = loop.step(input, record: &record)
        if command.send && !linkLost {
            do {
                try link.send(.command(Command(duty: command.duty, flags: command.flags)))
            } catch {
                linkLost = true
            }
        }
        let done = clock.nanoseconds()
        record.workNanoseconds = done - woke
        work.record(done - woke)
        if record.inferenceNanoseconds > 0 { inference.record(record.inferenceNanoseconds) }
        ring.push(record)
        tick += 1
    }

    /// Sends the state request and waits for its answer. A request or reply lost to corruption
    /// is retried within the wait: up to `timing.attempts` requests, each given an equal share of
    /// `timing.waitNanoseconds`; a state answering any of them is taken. One arriving later is
    /// stale (older than the latency the policy was trained for) and is left for the next period
    /// to discard.
    private func requestSample(into input: inout TickInput, deadline: Int64) {
        let hold = loop.holdCommand
        let attempts = timing.attempts
        let until = max(deadline, clock.nanoseconds()) + timing.waitNanoseconds
        let attemptLength = timing.waitNanoseconds / Int64(attempts)
        var firstSequence: UInt16 = 0
        for attempt in 0..<attempts {
            let sent = clock.nanoseconds()
            let sequence: UInt16
            do {
                sequence = try link.send(.command(Command(duty: hold.duty, flags: hold.flags)))
            } catch {
                linkLost = true
                return
            }
            if attempt == 0 { firstSequence = sequence }
            let attemptEnd = attempt == attempts - 1 ? until : min(until, sent + attemptLength)
            while true {
                let now = clock.nanoseconds()
                let remaining = attemptEnd - now
                if remaining <= 0 { break }
                // poll(2) waits in whole milliseconds, rounded up: a 0.4 ms wait would last 1 ms,
                // and 9.5 ms a whole period. Wait the whole milliseconds in poll, the rest in
                // short absolute sleeps between non-blocking reads.
                let slice = remaining - remaining % 1_000_000
                let frame: Frame?
                do {
                    frame = try link.receive(timeout: .nanoseconds(slice))
                } catch {
                    linkLost = true
                    return
                }
                guard let frame else {
                    if slice == 0 { clock.sleep(until: min(attemptEnd, now + Self.pollStepNanoseconds)) }
                    continue
                }
                switch frame.message {
                case .state(let state) where state.lastCommandSequence &- firstSequence <= UInt16(attempt):
                    input.sample = state
                    roundTrip.record(clock.nanoseconds() - sent)
                    return
                case .fault(let fault):
                    if input.deviceFault == nil { input.deviceFault = fault.code }
                    // A device that rebooted answers with "not ready" and never with a state.
                    if fault.code == .notReady { return }
                default:
                    continue // the state answering last period's command, a late reply
                }
            }
            if clock.nanoseconds() >= until { return }
        }
    }
}

/// The histograms a session keeps across its loop segments.
public struct LoopHistograms: Sendable {
    /// Wake-up lateness (actual − scheduled), 1 µs bins.
    public let wakeLatency = LatencyHistogram()
    /// Wake-up → command sent, 1 µs bins.
    public let work = LatencyHistogram()
    /// Policy inference, 10 ns bins up to 1 ms.
    public let inference = LatencyHistogram(binWidthNanoseconds: 10, binCount: 100_000)
    /// State request → its state received, 1 µs bins.
    public let roundTrip = LatencyHistogram()

    public init() {}
}

/// Stop requests from inside the process (an embedding program, tests); the loop reads them
/// with one atomic load, like the signal counter.
public final class ExternalStops: Sendable {
    private let value = Atomic<Int>(0)
    public init() {}
    public var count: Int { value.load(ordering: .acquiring) }
    /// First call: graceful stop; second: immediate.
    public func request() { value.add(1, ordering: .acquiringAndReleasing) }
}
