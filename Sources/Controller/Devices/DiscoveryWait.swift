/// How long `--port auto` has waited for a matching board to be plugged in, for the progress
/// line `furuta-controller run` prints once a second while it waits (the session's `report`,
/// on the thread that waits, never the loop's).
public struct DiscoveryWait: Sendable, CustomStringConvertible {
    public let matcher: DeviceMatcher
    public let timeout: Duration
    private let started = ContinuousClock.now
    /// Whole seconds waited when `tick()` last returned true.
    public private(set) var waitedSeconds = 0

    public init(matcher: DeviceMatcher, timeout: Duration) {
        self.matcher = matcher
        self.timeout = timeout
    }

    /// Called at each poll of discovery (every ≤ 100 ms); true once per whole second waited.
    mutating func tick() -> Bool {
        let seconds = Int(started.duration(to: .now).components.seconds)
        guard seconds > waitedSeconds else { return false }
        waitedSeconds = seconds
        return true
    }

    public var description: String {
        let limit = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18
        let shown = limit == limit.rounded() ? String(Int(limit)) : String(limit)
        return "waiting for the board (\(matcher)) to be plugged in: \(waitedSeconds) s of \(shown) s (Ctrl-C to give up)"
    }
}
