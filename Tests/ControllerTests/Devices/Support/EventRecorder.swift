import Controller
import Foundation

/// Collects `DeviceMonitor` events from the monitor thread and lets a test wait for the next
/// one with a bounded timeout (returns as soon as it arrives: no fixed sleeps).
final class EventRecorder: @unchecked Sendable {
    // All state is guarded by `condition`.
    private let condition = NSCondition()
    private var pending: [DeviceEvent] = []
    private var all: [DeviceEvent] = []

    func record(_ event: DeviceEvent) {
        condition.withLock {
            pending.append(event)
            all.append(event)
            condition.broadcast()
        }
    }

    /// The next event not yet returned, or nil if none arrives within `timeout`.
    func next(within timeout: TimeInterval = 5) -> DeviceEvent? {
        let deadline = Date(timeIntervalSinceNow: timeout)
        return condition.withLock {
            while pending.isEmpty {
                if !condition.wait(until: deadline) { return nil }
            }
            return pending.removeFirst()
        }
    }

    /// Every event received so far.
    var events: [DeviceEvent] { condition.withLock { all } }
}
