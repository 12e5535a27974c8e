#if canImport(Glibc)
import Glibc
#endif

// poll(), pipe() and friends for the monitor thread, kept here so the Devices code above
// them reads as Swift.

/// Outcome of waiting on the monitor socket.
enum PollOutcome: Equatable {
    case readable
    case wakeRequested
    case timedOut
}

enum PollCalls {
    /// Waits until `monitor` is readable, `wake` is readable (someone asked the waiter to stop),
    /// or `timeoutMilliseconds` pass (-1: forever). Retries on EINTR with the full timeout,
    /// which callers holding a deadline correct by recomputing it.
    static func wait(
        monitor: Int32, wake: Int32?, timeoutMilliseconds: Int32
    ) throws(DeviceDiscoveryError) -> PollOutcome {
        var fds = [pollfd(fd: monitor, events: Int16(POLLIN), revents: 0)]
        if let wake { fds.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
        while true {
            let ready = poll(&fds, nfds_t(fds.count), timeoutMilliseconds)
            if ready < 0 {
                if errno == EINTR { return .timedOut }
                throw .monitorPollFailed(errno: errno)
            }
            if ready == 0 { return .timedOut }
            if fds.count > 1, fds[1].revents != 0 { return .wakeRequested }
            if fds[0].revents & Int16(POLLIN | POLLERR | POLLHUP) != 0 { return .readable }
        }
    }
}

/// A pipe whose only purpose is to interrupt a poll() from another thread (the self-pipe
/// trick), so stopping a monitor takes microseconds instead of a poll timeout.
final class WakePipe: @unchecked Sendable {
    // Written once in init, then only read: safe to share between the two threads.
    let readEnd: Int32
    let writeEnd: Int32

    init() throws(DeviceDiscoveryError) {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw .monitorPollFailed(errno: errno) }
        // Non-blocking so wake() never stalls on a full pipe; close-on-exec so helper
        // processes the controller spawns do not inherit it. (pipe2 is hidden behind
        // _GNU_SOURCE in the Glibc module.)
        for end in ends {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// Makes `readEnd` readable; further calls are harmless (the byte stays until close).
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }
}

extension Duration {
    /// Whole milliseconds for poll(), rounded up so a positive remainder never becomes 0 ms
    /// (which would spin), clamped to Int32.
    var pollMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: milliseconds)
    }
}
