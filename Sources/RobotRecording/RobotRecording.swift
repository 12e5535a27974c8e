/// A recording of the robot (or its twin): what the encoders read, when, and what duty the
/// controller commanded and the device applied, tick by tick, with the identity of the robot
/// description the controller ran with. `furuta-controller capture` writes one per excitation;
/// robot training sessions write one per session, one `episode` number per episode; system
/// identification (`furuta sysid fit|validate`) reads them.
///
/// The file layout is `RecordingFormat` (documented in docs/sysid.md). This module depends on
/// nothing, so the controller, the trainer and any tool can read and write recordings.
public struct RobotRecording: Sendable, Equatable {
    public var header: RecordingHeader
    /// Ticks that received a state from the device, in time order.
    public var samples: [RecordingSample]

    public init(header: RecordingHeader, samples: [RecordingSample] = []) {
        self.header = header
        self.samples = samples
    }

    /// Seconds of robot time covered: last device timestamp − first (0 for fewer than 2 samples).
    public var durationSeconds: Double {
        guard let first = samples.first, let last = samples.last else { return 0 }
        return Double(last.deviceTimeMicroseconds &- first.deviceTimeMicroseconds) * 1e-6
    }

    /// The episode numbers present, in order of first appearance.
    public var episodes: [Int] {
        var seen: [Int] = []
        for sample in samples where seen.last != sample.episode && !seen.contains(sample.episode) {
            seen.append(sample.episode)
        }
        return seen
    }

    /// The samples of one episode.
    public func samples(ofEpisode episode: Int) -> [RecordingSample] {
        samples.filter { $0.episode == episode }
    }

    /// Arm angle θ of a sample, rad: (counts − arm zero) · 2π / N_arm (0 = centre of travel).
    public func armAngle(_ sample: RecordingSample) -> Double {
        Double(Int64(sample.armCounts) - Int64(header.armZeroCounts)) * 2 * Double.pi
            / Double(header.armCountsPerRevolution)
    }

    /// Pendulum angle α of a sample, rad: (counts − pendulum zero) · 2π / N_pendulum (0 = hanging).
    public func pendulumAngle(_ sample: RecordingSample) -> Double {
        Double(Int64(sample.pendulumCounts) - Int64(header.pendulumZeroCounts)) * 2 * Double.pi
            / Double(header.pendulumCountsPerRevolution)
    }
}

/// What a recording is of: the robot description's identity and the values a reader needs to
/// turn counts into angles, plus free `key: value` metadata (excitation, port, firmware, ...).
public struct RecordingHeader: Sendable, Equatable {
    /// `name` of the robot description the controller ran with.
    public var robotName: String
    /// `RobotParameters.identity` of that description (FNV-1a over its physical values).
    public var robotIdentity: UInt64
    public var armCountsPerRevolution: Int
    public var pendulumCountsPerRevolution: Int
    public var controlRateHz: Double
    /// Raw arm counts meaning θ = 0 (the centre found by homing).
    public var armZeroCounts: Int32
    /// Raw pendulum counts meaning α = 0 (hanging still, found by homing).
    public var pendulumZeroCounts: Int32
    /// What produced the recording: "capture" or "training-session".
    public var source: String
    /// Further facts, in order; keys are lower_snake_case, values one line each.
    public var metadata: [RecordingMetadata]

    public init(robotName: String, robotIdentity: UInt64, armCountsPerRevolution: Int,
                pendulumCountsPerRevolution: Int, controlRateHz: Double, armZeroCounts: Int32 = 0,
                pendulumZeroCounts: Int32 = 0, source: String, metadata: [RecordingMetadata] = []) {
        self.robotName = robotName
        self.robotIdentity = robotIdentity
        self.armCountsPerRevolution = armCountsPerRevolution
        self.pendulumCountsPerRevolution = pendulumCountsPerRevolution
        self.controlRateHz = controlRateHz
        self.armZeroCounts = armZeroCounts
        self.pendulumZeroCounts = pendulumZeroCounts
        self.source = source
        self.metadata = metadata
    }

    /// The value of a metadata key, nil when absent.
    public subscript(metadata key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }

    /// The identity as written in the file: 0x followed by 16 hex digits.
    public var identityText: String { RecordingFormat.hex(robotIdentity) }
}

public struct RecordingMetadata: Sendable, Equatable {
    public var key: String
    public var value: String
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// One control tick that received a state from the device.
public struct RecordingSample: Sendable, Equatable {
    /// Episode number (a capture has one, 0; a training session numbers its episodes).
    public var episode: Int
    /// The controller's tick counter.
    public var tick: Int64
    /// Host monotonic time of the tick's wake-up, ns since the session started.
    public var hostTimeNanoseconds: Int64
    /// Device clock when the encoders were read, µs since the device booted.
    public var deviceTimeMicroseconds: UInt64
    /// Raw encoder counts as the device reported them.
    public var armCounts: Int32
    public var pendulumCounts: Int32
    /// The action the excitation (or policy) chose this tick, before compensation and safety.
    public var action: Double
    /// Duty the controller sent this tick, after compensation and the safety layer; it reaches
    /// the motor about one latency after `deviceTimeMicroseconds`.
    public var dutyCommanded: Double
    /// Duty the device reported reaching the motor when it read the encoders (the previous
    /// tick's command).
    public var dutyApplied: Double

    public init(episode: Int = 0, tick: Int64, hostTimeNanoseconds: Int64, deviceTimeMicroseconds: UInt64,
                armCounts: Int32, pendulumCounts: Int32, action: Double, dutyCommanded: Double, dutyApplied: Double) {
        self.episode = episode
        self.tick = tick
        self.hostTimeNanoseconds = hostTimeNanoseconds
        self.deviceTimeMicroseconds = deviceTimeMicroseconds
        self.armCounts = armCounts
        self.pendulumCounts = pendulumCounts
        self.action = action
        self.dutyCommanded = dutyCommanded
        self.dutyApplied = dutyApplied
    }
}
