#if canImport(Glibc)
import Glibc
#endif
import CPlatform
import Foundation

/// Exclusive use of a serial port for one controller: `flock(LOCK_EX | LOCK_NB)` on a descriptor
/// of its own (every furuta-controller command takes it, root or not), then `TIOCEXCL` once the
/// session has opened what it needs (other programs' opens fail with EBUSY, unless root). Two
/// controllers on one port interleave commands and steal each other's replies; `probe` during a
/// run would disarm the device.
///
/// The descriptor stays open for the session (O_RDWR, non-blocking): the second-signal handler
/// writes its emergency frame to it, since TIOCEXCL forbids opening another.
public final class PortLock {
    public let path: String
    public private(set) var descriptor: Int32
    private var exclusive = false

    /// Takes the lock or throws `.portInUse` naming the holder (pid and command line).
    public init(path: String) throws(ControllerError) {
        self.path = path
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            if code == EBUSY {
                throw .portInUse(port: path, holder: Self.holder(of: path) ?? "a program that set TIOCEXCL on it")
            }
            // Not ours to explain: the link's own open reports it with the usual message.
            descriptor = -1
            return
        }
        let result = cplatform_lock_exclusive(fd)
        guard result == 0 else {
            _ = Glibc.close(fd)
            if result == EWOULDBLOCK {
                throw .portInUse(port: path, holder: Self.holder(of: path) ?? "another process")
            }
            throw .portInUse(port: path, holder: "unknown (flock: \(String(cString: strerror(result))))")
        }
        descriptor = fd
    }

    deinit { release() }

    /// TIOCEXCL: from now on other open(2)s of the port fail with EBUSY. Call after every
    /// descriptor the session needs is open. Returns a warning if the tty refused.
    @discardableResult
    public func makeExclusive() -> String? {
        guard descriptor >= 0, !exclusive else { return nil }
        let result = cplatform_set_tty_exclusive(descriptor, 1)
        if result == 0 { exclusive = true; return nil }
        return "cannot make \(path) exclusive (TIOCEXCL: \(String(cString: strerror(result))))"
    }

    /// TIOCNXCL and close: the next controller (or probe) may open the port.
    public func release() {
        guard descriptor >= 0 else { return }
        if exclusive { _ = cplatform_set_tty_exclusive(descriptor, 0) }
        exclusive = false
        _ = Glibc.close(descriptor)
        descriptor = -1
    }

    /// "pid 1234 (furuta-controller run --policy …)" for the flock holder of `path`, from
    /// /proc/locks (fields: id, FLOCK, ADVISORY, WRITE, pid, major:minor:inode, …; the device
    /// numbers are the filesystem's, in hex).
    static func holder(of path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0,
              let text = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        let dev = UInt64(info.st_dev)
        let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff))
        let minor = (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff))
        let wanted = String(format: "%02x:%02x:%llu", major, minor, UInt64(info.st_ino))
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5] == wanted, let pid = Int32(fields[4]) else { continue }
            let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))
                .map { $0.split(separator: "\0").joined(separator: " ") } ?? ""
            return command.isEmpty ? "pid \(pid)" : "pid \(pid) (\(command))"
        }
        return nil
    }
}
