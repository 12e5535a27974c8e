import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A built binary run on a real pseudo-terminal as its controlling terminal (forkpty), so that
/// typing Ctrl-C (byte 0x03) makes the kernel's line discipline send SIGINT to its process group,
/// exactly as in a user's terminal. The C calls of the tests live here.
final class TerminalSession {
    let pid: pid_t
    private let master: Int32
    private(set) var output = ""

    init(_ executable: String, _ arguments: [String]) throws {
        // Everything the child needs is built before fork: between fork and exec only
        // async-signal-safe calls are allowed.
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var masterDescriptor: Int32 = -1
        let child = forkpty(&masterDescriptor, nil, nil, nil)
        if child == 0 {
            // As a shell starts a foreground job: default dispositions, nothing blocked (the test
            // runner's threads may block or ignore SIGINT, and exec would pass that on).
            var none = sigset_t()
            sigemptyset(&none)
            sigprocmask(SIG_SETMASK, &none, nil)
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
            execv(executable, argv)
            _exit(127)
        }
        guard child > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        pid = child
        master = masterDescriptor
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(master) }

    /// Reads what the program wrote until `condition` holds on it or `seconds` pass.
    @discardableResult
    func read(until condition: (String) -> Bool, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
            if n > 0 {
                output += String(decoding: buffer[0..<n], as: UTF8.self)
                if condition(output) { return true }
            } else {
                if n < 0 && errno != EAGAIN && errno != EINTR { return condition(output) } // EIO: the child closed it
                usleep(20_000)
            }
        }
        return condition(output)
    }

    /// Types Ctrl-C.
    func interrupt() { var byte: UInt8 = 0x03; _ = write(master, &byte, 1) }

    /// Waits for the child's exit (SIGKILL after `seconds`): its exit status, or 128 + the signal.
    func waitForExit(seconds: Double) -> (status: Int32, signalled: Bool, timedOut: Bool) {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while true {
            read(until: { _ in false }, seconds: 0.05)
            let done = waitpid(pid, &status, WNOHANG)
            if done == pid {
                // What it wrote between the last read and its exit is still in the terminal's
                // buffer: read it until EIO (the closed side), or it is lost to the test.
                read(until: { _ in false }, seconds: 2)
                break
            }
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return (128 + SIGKILL, true, true)
            }
        }
        let signal = status & 0x7f
        if signal != 0 { return (128 + signal, true, false) }
        return ((status >> 8) & 0xff, false, false)
    }
}
