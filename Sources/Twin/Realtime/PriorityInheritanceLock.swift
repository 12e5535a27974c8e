#if canImport(Glibc)
import Glibc
#endif

/// A mutex with priority inheritance (`PTHREAD_PRIO_INHERIT`): a thread holding it runs at the
/// priority of the highest waiter. The twin's device thread (SCHED_FIFO) shares its state with
/// ordinary threads (the status line, tests reading a snapshot); with a plain mutex, one of them
/// preempted by a busy host while holding the lock stalls the device clock for as long as the
/// scheduler keeps it off the CPU (priority inversion). With inheritance it is boosted and
/// releases the lock at once.
final class PriorityInheritanceLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        // Falls back to a plain mutex where the protocol is not supported (never on Linux/glibc).
        _ = pthread_mutexattr_setprotocol(&attributes, Int32(PTHREAD_PRIO_INHERIT))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func lock() { pthread_mutex_lock(mutex) }
    func unlock() { pthread_mutex_unlock(mutex) }
}
