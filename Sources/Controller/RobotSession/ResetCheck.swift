import Foundation

/// Whether an episode's reset found the pendulum hanging. Homing takes the pendulum's zero
/// where it came to rest with the motor off; within a session the device's counter keeps
/// counting, so every episode's zero must equal the first one's modulo whole turns N:
///
///     d = ((z − z_ref) mod N),  folded to (−N/2, N/2];   |d| ≤ tolerance·N
///
/// A pendulum resting upright (d ≈ N/2), stuck against something, or an encoder that slipped
/// gives another zero: that episode is flagged and never becomes the reference.
public enum ResetCheck {
    /// The raw pendulum counts that meant α = 0 in an episode log: raw − α·N/2π on the first
    /// running row with a fresh state; nil when the log could not be read (nil) or has none.
    public static func pendulumZero(_ log: EpisodeLogTable?, countsPerRevolution: Int) -> Int64? {
        guard let log, let phase = log.column("phase"), let sample = log.column("has_sample"),
              let raw = log.column("pendulum_counts"), let angle = log.column("pendulum_angle_rad") else { return nil }
        for f in log.rows {
            guard log.isComplete(f), f[phase] == "running", f[sample] == "1",
                  let counts = Int64(f[raw]), let alpha = Double(f[angle]) else { continue }
            return counts - Int64((alpha * Double(countsPerRevolution) / (2 * Double.pi)).rounded())
        }
        return nil
    }

    /// What to tell the user when an episode's fault means the robot could not be reset (the
    /// session pauses), nil for a fault of the episode itself: a homing refusal, the arm found
    /// beyond what the reset brings it back from before the policy ran, or a reset that could not
    /// bring it back inside the soft limit (another reset would fault the same way).
    public static func pauseMessage(fault: String, policyRan: Bool) -> String? {
        if let message = SafetyEventKind.homingMessage(forName: fault) { return message }
        guard !policyRan else { return nil }
        switch fault {
        case SafetyEventKind.armBeyondHardLimit.name:
            return "the arm was beyond its hard limit before the episode started, farther than a reset brings it back from "
                + "(or at the session's first reset, before its zero was seen inside the limits on this boot); "
                + "the motor was not driven outward: move the arm by hand back to the centre of its travel, let the pendulum hang still"
        case SafetyEventKind.armOutsideLimitTooLong.name:
            return "the reset could not bring the arm back inside its soft limit (something holds it, or the drive is too weak): "
                + "move the arm by hand back to the centre of its travel and check that it turns freely"
        default:
            return nil
        }
    }

    /// nil when `zero` agrees with `reference` modulo whole turns, else what is wrong.
    public static func problem(zero: Int64, reference: Int64, countsPerRevolution n: Int, tolerance: Double = 0.02) -> String? {
        let n64 = Int64(n)
        var d = (zero - reference) % n64
        if d < 0 { d += n64 }
        if d > n64 / 2 { d -= n64 }
        guard Double(abs(d)) > tolerance * Double(n) else { return nil }
        let degrees = Double(d) / Double(n) * 360
        if abs(abs(degrees) - 180) < 30 {
            return "the pendulum came to rest upright (\(Int(degrees.rounded()))° from hanging): it was not taken as the zero"
        }
        return "the pendulum came to rest \(Int(degrees.rounded()))° from hanging (stuck, or the encoder slipped): it was not taken as the zero"
    }

    /// Seconds from an episode log's first row (homing starts) to its first running row: the
    /// reset's duration; nil when the policy never ran or the log could not be read (nil).
    public static func resetSeconds(_ log: EpisodeLogTable?) -> Double? {
        guard let log, let phase = log.column("phase"), let time = log.column("time_s") else { return nil }
        var first: Double?
        for f in log.rows {
            guard log.isComplete(f), let t = Double(f[time]) else { continue }
            if first == nil { first = t }
            if f[phase] == "running" { return t - first! }
        }
        return nil
    }
}
