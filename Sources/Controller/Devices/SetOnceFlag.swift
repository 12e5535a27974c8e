import Synchronization

/// A lock-free flag that goes from false to true once. `set()` reports whether this call was
/// the one that set it: the removal callback runs exactly once even if the event and the
/// initial check race, and `DeviceMonitor.stop()` wakes its thread only once.
final class SetOnceFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() -> Bool {
        value.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }
}
