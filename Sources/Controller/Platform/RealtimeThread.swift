import Foundation

/// Runs a body on a new thread with real-time settings and waits for it: the loop thread.
/// SCHED_FIFO and pinning are requested from inside the thread (they are per thread); each
/// refusal becomes a warning in the returned grant. The stack is pre-faulted so that, with
/// mlockall, the loop never page-faults on it.
public enum RealtimeThread {
    public static func run(name: String, options: RealtimeOptions, _ body: @escaping @Sendable () -> Void) -> RealtimeGrant {
        let done = DispatchSemaphore(value: 0)
        let result = GrantBox()
        let thread = Thread {
            var grant = RealtimeGrant()
            RealtimeSetup.nameCurrentThread(name)
            if let priority = options.fifoPriority { RealtimeSetup.enterFIFO(priority: priority, into: &grant) }
            if let cpu = options.cpu { RealtimeSetup.pin(toCPU: cpu, into: &grant) }
            RealtimeSetup.prefaultStack()
            body()
            result.set(grant)
            done.signal()
        }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
        done.wait()
        return result.get()
    }
}

private final class GrantBox: @unchecked Sendable {
    private let lock = NSLock()
    private var grant = RealtimeGrant()
    func set(_ value: RealtimeGrant) { lock.withLock { grant = value } }
    func get() -> RealtimeGrant { lock.withLock { grant } }
}
