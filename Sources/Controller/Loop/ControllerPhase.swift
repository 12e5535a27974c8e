/// Where a controller session is. The loop core (`ControlLoop`) owns homing → running → safe
/// stop → stopped; the session around it owns the first three.
///
///     disconnected → handshake → idle (motor off) → homing → running → safeStop → stopped
///                                                       └──────────┴──── fault ──┘ (latched)
public enum ControllerPhase: UInt8, Sendable, Equatable, Codable {
    case disconnected = 0
    case handshake
    case idle
    case homing
    case running
    case safeStop
    case stopped

    public var name: String {
        switch self {
        case .disconnected: "disconnected"
        case .handshake: "handshake"
        case .idle: "idle"
        case .homing: "homing"
        case .running: "running"
        case .safeStop: "safe_stop"
        case .stopped: "stopped"
        }
    }
}

/// What the shell asks of the core, from signals.
public enum StopRequest: UInt8, Sendable, Equatable {
    case none = 0
    /// First SIGINT/SIGTERM: stop safely and confirm.
    case graceful
    /// Second signal: e-stop now, do not wait.
    case immediate
}
