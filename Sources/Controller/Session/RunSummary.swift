/// What `--summary FILE` holds (JSON, snake_case keys; docs/controller.md lists them).
public struct RunSummary: Sendable, Codable, Equatable {
    public struct Event: Sendable, Codable, Equatable {
        public var kind: String
        public var timeS: Double
        public var value: Double
        public var isFault: Bool
    }

    public struct Frames: Sendable, Codable, Equatable {
        public var sent = 0
        public var received = 0
        public var corrupt = 0
        public var lost = 0
        public var unknown = 0
        public init() {}
    }

    public struct Overruns: Sendable, Codable, Equatable {
        /// Periods that started a whole period or more late.
        public var count = 0
        /// Periods skipped in total (overrun policy: skip whole periods, keep phase).
        public var skippedPeriods = 0
        public init() {}
    }

    public struct Realtime: Sendable, Codable, Equatable {
        public var fifoPriority: Int32?
        public var memoryLocked = false
        public var warnings: [String] = []
        public init() {}
    }

    /// The link as measured at connect time (the last connection's), and the timing derived from it.
    public struct Link: Sendable, Codable, Equatable {
        public var roundTripMedianMs = 0.0
        public var roundTripP99Ms = 0.0
        public var roundTripMaxMs = 0.0
        public var pings = 0
        /// The policy's trained latency range, nil for a file that records none.
        public var trainedMinMs: Double?
        public var trainedMaxMs: Double?
        /// Longest wait for a period's state, and the requests sent for it.
        public var stateWaitMs = 0.0
        public var attempts = 0
        /// Periods between a request and the state it brings: 0 request/reply, ≥ 1 pipelined.
        public var pipelineDepth = 0
        public init() {}
    }

    public var policy = ""
    public var port = ""
    public var controlRateHz = 0.0
    /// "completed" (duration), "stopped" (signal), "fault" (latched), "immediate_stop".
    public var outcome = "completed"
    public var stopReason: String?
    public var fault: String?
    /// Whether a device state confirmed duty 0 at the end.
    public var motorStopConfirmed = false
    public var longestUprightS = 0.0
    public var runningS = 0.0
    public var ticks = 0
    public var policySteps = 0
    /// Wake-up lateness of the loop, µs: p50, p99, p99.9, max.
    public var jitterUs: LatencySummary
    /// Wake-up → command sent, µs.
    public var tickWorkUs: LatencySummary
    /// Policy inference, µs.
    public var inferenceUs: LatencySummary
    /// State request → state received, µs.
    public var roundTripUs: LatencySummary
    public var overruns = Overruns()
    public var samplesMissed = 0
    public var dutyLimitedTicks = 0
    public var slewLimitedTicks = 0
    public var outwardBlockedTicks = 0
    /// Periods in which the stopping envelope or a safe stop braked the arm.
    public var brakingTicks = 0
    /// States that arrived but were not news (frozen device clock or counts); counted as missed.
    public var staleSamples = 0
    public var safetyEvents: [Event] = []
    public var safetyEventsDropped = 0
    public var frames = Frames()
    public var telemetryRecords = 0
    /// Rows not in the log: ring full plus `telemetry_lost_to_write_errors`.
    public var telemetryDropped = 0
    /// Rows the log file refused (full disk, closed pipe).
    public var telemetryLostToWriteErrors = 0
    /// The first write error, e.g. "No space left on device"; null when none.
    public var telemetryError: String?
    /// Device sessions (1 + reconnects).
    public var connections = 0
    public var firmwareVersion: String?
    public var deviceSerial: String?
    public var realtime = Realtime()
    public var link: Link?

    public init(jitter: LatencySummary, work: LatencySummary, inference: LatencySummary, roundTrip: LatencySummary) {
        jitterUs = jitter
        tickWorkUs = work
        inferenceUs = inference
        roundTripUs = roundTrip
    }
}
