#if canImport(Glibc)
import Glibc
#endif
import CPlatform

/// What the loop thread asks of the kernel. Each request that is refused becomes a warning,
/// never a failure: the loop still runs, only with more jitter.
public struct RealtimeOptions: Sendable, Equatable {
    /// SCHED_FIFO priority for the loop thread (1…99), nil to stay SCHED_OTHER.
    public var fifoPriority: Int32? = 80
    /// `mlockall(MCL_CURRENT | MCL_FUTURE)`: no page faults on the loop thread.
    public var lockMemory = true
    /// Pin the loop thread to this CPU, nil to let the scheduler choose.
    public var cpu: Int32? = nil

    public init() {}

    /// Plain scheduling, nothing locked: for tests that run many sessions in one process.
    public static let none: RealtimeOptions = {
        var options = RealtimeOptions()
        options.fifoPriority = nil
        options.lockMemory = false
        return options
    }()
}

/// The outcome of `RealtimeSetup`: what was granted, and warnings for what was not.
public struct RealtimeGrant: Sendable, Equatable {
    public var fifoPriority: Int32?
    public var memoryLocked = false
    public var cpu: Int32?
    public var warnings: [String] = []

    public init() {}
}

/// The scheduling calls, each named after the C function it makes.
public enum RealtimeSetup {
    /// `mlockall(MCL_CURRENT | MCL_FUTURE)` for the whole process. Call before starting the loop.
    public static func lockMemory(into grant: inout RealtimeGrant) {
        if mlockall(Int32(MCL_CURRENT | MCL_FUTURE)) == 0 {
            grant.memoryLocked = true
        } else {
            let code = errno
            grant.warnings.append("mlockall refused (\(String(cString: strerror(code)))): page faults may add jitter; "
                + "grant CAP_IPC_LOCK (sudo setcap cap_sys_nice,cap_ipc_lock+ep furuta-controller) or raise memlock in limits.conf")
        }
    }

    /// `pthread_setschedparam(pthread_self(), SCHED_FIFO, priority)` for the calling thread.
    public static func enterFIFO(priority: Int32, into grant: inout RealtimeGrant) {
        var parameters = sched_param()
        parameters.sched_priority = priority
        let result = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
        if result == 0 {
            grant.fifoPriority = priority
        } else {
            grant.warnings.append("SCHED_FIFO refused (\(String(cString: strerror(result)))): the loop runs with normal "
                + "priority; grant CAP_SYS_NICE (sudo setcap cap_sys_nice,cap_ipc_lock+ep furuta-controller) or set rtprio in limits.conf")
        }
    }

    /// `pthread_setaffinity_np` with a one-CPU set (CPU_SET is a macro: in CPlatform).
    public static func pin(toCPU cpu: Int32, into grant: inout RealtimeGrant) {
        let result = cplatform_pin_current_thread_to_cpu(cpu)
        if result == 0 {
            grant.cpu = cpu
        } else {
            grant.warnings.append("could not pin the loop thread to CPU \(cpu) (\(String(cString: strerror(result))))")
        }
    }

    /// `prctl(PR_SET_NAME)`: the name `ps -L` and `top -H` show.
    public static func nameCurrentThread(_ name: String) {
        _ = cplatform_set_current_thread_name(name)
    }

    /// Touches `bytes` of stack so its pages are mapped (and locked) before the loop starts.
    @inline(never)
    public static func prefaultStack(bytes: Int = 256 * 1024) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes) { buffer in
            var i = 0
            while i < bytes { buffer[i] = 0; i += 4096 }
            _ = buffer[0]
        }
    }
}
