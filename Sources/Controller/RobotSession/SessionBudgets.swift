/// When a training session stops (each nil: no limit). `--episodes` counts episodes of this
/// session folder, so a resumed session continues towards the same total.
public struct SessionBudgets: Sendable, Equatable {
    public var episodes: Int?
    public var wallSeconds: Double?
    public var robotSeconds: Double?
    public var maxConsecutiveFaults = 3
    /// Motor wear: Σ|Δduty| over the session's episodes.
    public var wearLimit: Double?
    /// Motor wear: the I²t estimate of the winding's temperature rise over ambient, K
    /// (`WindingTemperature`), checked between episodes.
    public var windingRiseLimitK: Double?
    public init() {}
}

/// Why a session ended: the `stop_reason` of its summary.
public enum SessionStopReason: String, Sendable, Codable {
    case episodesReached = "episodes_reached"
    case wallTime = "wall_time"
    case robotTime = "robot_time"
    case consecutiveFaults = "consecutive_faults"
    case wearLimit = "wear_limit"
    case windingTemperature = "winding_temperature"
    case stopSignal = "stop_signal"
    case noPolicy = "no_policy"
    case resetFailed = "reset_failed"
    /// A fault that means the device or its readings cannot be trusted (`FaultRecovery`).
    case deviceUntrusted = "device_untrusted"
    case cannotStart = "cannot_start"
}
