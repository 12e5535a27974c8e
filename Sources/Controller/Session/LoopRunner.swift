import FirmwareLink
import Synchronization

/// The timing and I/O shell around a `ControlLoop`, run on the loop thread. Each period:
///
///  1. sleep until the absolute deadline (clock_nanosleep TIMER_ABSTIME); if the wake-up is a
///     whole period or more late, skip those periods (keep phase: deadlines stay on the grid
///     start + k·T) and tell the core how many;
///  2. request a fresh state: re-send the held command (same duty, so the motor does not change;
///     it feeds the firmware watchdog) and wait for the state `timing` expects: the one
///     answering it (request/reply), or, on a link slower than the period, the one answering
///     the request of `pipelineDepth` periods before (pipelined); a wait and a number of
///     attempts derived from the link measured at connect time (see `LinkTiming`). Any `fault`
///     message goes to the core;
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
    /// The requests of recent periods (pipelined timing waits for an older one's answer).
    private var requests = RequestHistory()
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

    /// Sends the period's state request and waits for the state the timing plan expects: the one
    /// answering this period's request (request/reply), or the request of `pipelineDepth`
    /// periods before (pipelined), or any frame sent after that one. A request or reply lost to
    /// corruption is retried within the wait (request/reply only): up to `timing.attempts`
    /// requests, each given an equal share of `timing.waitNanoseconds`; a state answering any of
    /// them is taken. A state answering an older request is older than the latency the policy
    /// was trained for: it is discarded, never taken for this period's.
    private func requestSample(into input: inout TickInput, deadline: Int64) {
        let hold = loop.holdCommand
        let attempts = timing.attempts
        let until = max(deadline, clock.nanoseconds()) + timing.waitNanoseconds
        let attemptLength = timing.waitNanoseconds / Int64(attempts)
        for attempt in 0..<attempts {
            let sent = clock.nanoseconds()
            let sequence: UInt16
            do {
                sequence = try link.send(.command(Command(duty: hold.duty, flags: hold.flags)))
            } catch {
                linkLost = true
                return
            }
            if attempt == 0 { requests.record(tick: tick, sequence: sequence, sentNanoseconds: sent) }
            let base = requests.base(tick: tick, depth: timing.pipelineDepth,
                                     notBefore: deadline - Int64(timing.pipelineDepth) * periodNanoseconds - periodNanoseconds / 2)
            let span = sequence &- base.sequence
            let attemptEnd = attempt == attempts - 1 ? until : min(until, sent + attemptLength)
            while true {
                let now = clock.nanoseconds()
                let remaining = attemptEnd - now
                if remaining <= 0 { break }
                // One wait to the end of the attempt (epoll, nanosecond timeout): the thread wakes
                // when bytes arrive or the attempt ends, not in slices (each wake-up of a
                // real-time thread on a busy host is a chance to be held off the CPU).
                let frame: Frame?
                do {
                    frame = try link.receive(timeout: .nanoseconds(remaining))
                } catch {
                    linkLost = true
                    return
                }
                guard let frame else { continue }
                switch frame.message {
                case .state(let state) where state.lastCommandSequence &- base.sequence <= span:
                    input.sample = state
                    roundTrip.record(clock.nanoseconds() - base.sentNanoseconds)
                    return
                case .fault(let fault):
                    if input.deviceFault == nil { input.deviceFault = fault.code }
                    // A device that rebooted answers with "not ready" and never with a state.
                    if fault.code == .notReady { return }
                default:
                    continue // the state answering an older frame, a late reply
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
