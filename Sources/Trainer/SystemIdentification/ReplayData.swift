import RobotRecording

/// A recording prepared for replay: times from its first sample, recorded angles, the
/// commanded duties, and the segments each replay restarts from the recorded state.
///
/// Why segments: a long open-loop replay of a pendulum diverges from the recording for any
/// small error (the arm is a free integrator, the swinging pendulum's phase drifts), and a loss
/// dominated by that divergence is rugged. Restarting every `segmentSeconds` from the recorded
/// angles (velocities by central difference over ±2 samples) keeps each comparison short and
/// the loss smooth in the parameters — multiple shooting without the extra unknowns. The
/// starting velocities come from a Savitzky–Golay derivative (cubic over 7 samples, so an
/// 8 Hz swing is not flattened as a plain central difference would), and a block of samples
/// (a recording, an episode) starts at rest: a capture or an episode begins after homing.
public struct ReplayData: Sendable {
    public let file: String
    /// Sample times, s from the first sample (device clock).
    public let times: [Double]
    public let armAngles: [Double]
    public let pendulumAngles: [Double]
    /// Duty sent after each sample; it reaches the motor one latency after the sample.
    public let commandedDuties: [Double]
    /// Duty reaching the motor at each sample.
    public let appliedDuties: [Double]
    /// Sample index ranges, each replayed from its first sample's recorded state.
    public let segments: [Range<Int>]
    /// Contiguous blocks (no clock gap, one episode) the segments lie in.
    let blocks: [Range<Int>]

    public init(recording: RobotRecording, file: String, segmentSeconds: Double = 2) {
        self.file = file
        let samples = recording.samples
        let t0 = samples.first.map { $0.deviceTimeMicroseconds } ?? 0
        times = samples.map { Double($0.deviceTimeMicroseconds &- t0) * 1e-6 }
        armAngles = samples.map(recording.armAngle)
        pendulumAngles = samples.map(recording.pendulumAngle)
        commandedDuties = samples.map(\.dutyCommanded)
        appliedDuties = samples.map(\.dutyApplied)
        // Episodes (training sessions) never share a block; a gap in the clock ends one too.
        var blocks: [Range<Int>] = []
        var blockStart = 0
        for i in 1..<max(samples.count, 1)
        where times[i] - times[i - 1] > 0.1 || samples[i].episode != samples[i - 1].episode {
            blocks.append(blockStart..<i)
            blockStart = i
        }
        if samples.count > blockStart { blocks.append(blockStart..<samples.count) }
        var segments: [Range<Int>] = []
        for block in blocks {
            var start = block.lowerBound
            for i in block where i > start && times[i] - times[start] >= segmentSeconds && block.upperBound - i >= 5 {
                segments.append(start..<i)
                start = i
            }
            if block.upperBound - start >= 5 { segments.append(start..<block.upperBound) }
        }
        self.blocks = blocks
        self.segments = segments
    }

    public var sampleCount: Int { segments.reduce(0) { $0 + $1.count } }
    public var durationSeconds: Double { times.last ?? 0 }

    /// Velocity of `angles` at sample i: 0 at the start of a block (at rest after homing);
    /// otherwise the Savitzky–Golay first derivative, cubic over 7 samples,
    /// θ̇ ≈ (58(θ₊₁ − θ₋₁) + 67(θ₊₂ − θ₋₂) − 22(θ₊₃ − θ₋₃)) / (252·h), h the mean sample spacing
    /// there; a plain central difference near a block's edges.
    func velocity(_ angles: [Double], at i: Int) -> Double {
        guard let block = blocks.first(where: { $0.contains(i) }), i > block.lowerBound else { return 0 }
        if i - 3 >= block.lowerBound && i + 3 < block.upperBound {
            let h = (times[i + 3] - times[i - 3]) / 6
            return (-22 * (angles[i + 3] - angles[i - 3]) + 67 * (angles[i + 2] - angles[i - 2])
                    + 58 * (angles[i + 1] - angles[i - 1])) / (252 * h)
        }
        let lo = max(block.lowerBound, i - 1), hi = min(block.upperBound - 1, i + 1)
        return hi > lo ? (angles[hi] - angles[lo]) / (times[hi] - times[lo]) : 0
    }
}
