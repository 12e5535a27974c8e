// Every raw system call of FirmwareLink: open/close/read/write/poll/ioctl, epoll (through CPlatform), termios and the
// pseudo-terminal calls. The rest of the module sees `FileDescriptor` and `SystemError`.
// Linux (glibc) only: the host side runs on Linux robot computers and CI.
import CPlatform
import Glibc

/// An `errno` with the operation that failed and the path it concerned.
public struct SystemError: Error, Equatable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32

    public var description: String {
        "\(operation)(\(path)) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }

    static func current(_ operation: String, _ path: String) -> SystemError {
        SystemError(operation: operation, path: path, errno: Glibc.errno)
    }
}

/// A raw file descriptor number; `close()` is explicit.
struct FileDescriptor: Sendable, Equatable {
    let rawValue: Int32

    /// `open(2)` with O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC. O_NONBLOCK also keeps open
    /// from waiting for carrier detect on a real UART.
    static func openReadWrite(_ path: String) throws(SystemError) -> FileDescriptor {
        let fd = Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .current("open", path) }
        return FileDescriptor(rawValue: fd)
    }

    /// `close(2)`.
    func close() { _ = Glibc.close(rawValue) }

    /// `write(2)` until all bytes are written; waits with `poll(2)` up to 100 ms for room.
    func writeAll(_ bytes: UnsafeRawBufferPointer, path: String) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            if n >= 0 {
                offset += n
            } else if Glibc.errno == EAGAIN {
                // The queue is full: a device that stopped reading must not hang the host.
                let events = try waitReadable(events: Int16(POLLOUT), timeoutMilliseconds: 100, path: path)
                if events == 0 { throw SystemError(operation: "write (queue full for 100 ms)", path: path, errno: EAGAIN) }
            } else if Glibc.errno != EINTR {
                throw .current("write", path)
            }
        }
    }

    /// `write(2)` of what fits now; returns the count written (0 if the queue is full).
    func writeAvailable(_ bytes: UnsafeRawBufferPointer, path: String) throws(SystemError) -> Int {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(rawValue, bytes.baseAddress! + offset, bytes.count - offset)
            if n >= 0 {
                offset += n
            } else if Glibc.errno == EAGAIN {
                break
            } else if Glibc.errno != EINTR {
                throw .current("write", path)
            }
        }
        return offset
    }

    /// `read(2)` of what is available now; 0 when nothing is. (A raw tty with VMIN = VTIME = 0
    /// returns 0, not EAGAIN, when empty, so 0 is not end-of-file here: a hang-up shows as
    /// POLLHUP from `waitReadable` or as EIO.)
    func readAvailable(into buffer: UnsafeMutableRawBufferPointer, path: String) throws(SystemError) -> Int {
        while true {
            let n = Glibc.read(rawValue, buffer.baseAddress!, buffer.count)
            if n >= 0 { return n }
            if Glibc.errno == EAGAIN { return 0 }
            if Glibc.errno != EINTR { throw .current("read", path) }
        }
    }

    /// `ioctl(FIONREAD)`: bytes the line discipline holds for reading now. Unlike read(2) and
    /// poll(2) on an empty tty, it does not wait for the tty's receive work (n_tty flushes the
    /// pending flip buffer synchronously there, waiting for a SCHED_OTHER kworker: a real-time
    /// thread that reads an empty tty on a busy host waits as long as that kworker waits for a CPU).
    ///
    /// nil where the device does not implement FIONREAD (ENOTTY: e.g. umockdev's emulated ttys,
    /// which the port-auto tests use); the caller then falls back to a non-blocking read(2).
    func bytesReadable(path: String) throws(SystemError) -> Int? {
        var count: Int32 = 0
        guard ioctl(rawValue, UInt(FIONREAD), &count) == 0 else {
            if Glibc.errno == ENOTTY { return nil }
            throw .current("ioctl(FIONREAD)", path)
        }
        return Int(count)
    }

    /// True when poll's revents say the other side hung up or the descriptor is dead.
    static func isHangUp(_ revents: Int16) -> Bool {
        revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    /// `poll(2)` on this descriptor. Returns the revents (0 on timeout).
    func waitReadable(events: Int16 = Int16(POLLIN), timeoutMilliseconds: Int32,
                      path: String) throws(SystemError) -> Int16 {
        var entry = pollfd(fd: rawValue, events: events, revents: 0)
        while true {
            let n = Glibc.poll(&entry, 1, timeoutMilliseconds)
            if n >= 0 { return n == 0 ? 0 : entry.revents }
            if Glibc.errno != EINTR { throw .current("poll", path) }
        }
    }
}

/// An edge-triggered epoll set on one descriptor (CPlatform): a wait that wakes when input
/// arrives without asking the tty first, so a real-time thread never waits for the tty's
/// receive work (see `FileDescriptor.bytesReadable`).
struct InputWaiter {
    let rawValue: Int32

    static func open(watching fd: FileDescriptor, path: String) throws(SystemError) -> InputWaiter {
        let epfd = cplatform_edge_poller_open(fd.rawValue)
        guard epfd >= 0 else { throw .current("epoll_ctl", path) }
        return InputWaiter(rawValue: epfd)
    }

    func close() { _ = Glibc.close(rawValue) }

    /// True when the events say the other side hung up or the descriptor failed.
    static func isHangUp(_ events: UInt32) -> Bool {
        events & (0x010 /* EPOLLHUP */ | 0x008 /* EPOLLERR */) != 0
    }

    /// Waits up to `timeoutNanoseconds` for input to arrive; returns the epoll events (0 on timeout).
    func wait(timeoutNanoseconds: Int64, path: String) throws(SystemError) -> UInt32 {
        var events: UInt32 = 0
        let n = cplatform_edge_poller_wait(rawValue, timeoutNanoseconds, &events)
        if n < 0 { throw .current("epoll_pwait2", path) }
        return n == 0 ? 0 : events
    }
}

/// termios: raw 8N1, no flow control, HUPCL cleared so closing does not drop DTR/RTS (which
/// would reset an ESP32 through its auto-reset circuit); CLOCAL so modem lines are ignored.
/// VMIN = VTIME = 0: reads never block; waiting is done with poll.
/// Does not touch the modem lines (no TIOCMBIS/TIOCMBIC).
func configureRaw(_ fd: FileDescriptor, baud: Int?, path: String) throws(SystemError) {
    var options = termios()
    guard tcgetattr(fd.rawValue, &options) == 0 else { throw .current("tcgetattr", path) }
    cfmakeraw(&options)
    options.c_cflag |= tcflag_t(CLOCAL | CREAD)
    options.c_cflag &= ~(tcflag_t(HUPCL) | tcflag_t(CRTSCTS) | tcflag_t(CSTOPB) | tcflag_t(PARENB))
    options.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
    withUnsafeMutableBytes(of: &options.c_cc) { cc in
        cc[Int(VMIN)] = 0
        cc[Int(VTIME)] = 0
    }
    if let baud {
        guard let speed = speedConstant(baud) else {
            throw SystemError(operation: "cfsetspeed \(baud) baud", path: path, errno: EINVAL)
        }
        guard cfsetispeed(&options, speed) == 0, cfsetospeed(&options, speed) == 0 else {
            throw .current("cfsetspeed", path)
        }
    }
    guard tcsetattr(fd.rawValue, TCSANOW, &options) == 0 else { throw .current("tcsetattr", path) }
}

/// `tcflush(TCIFLUSH)`: drop bytes received but not yet read (boot noise, a previous session).
func discardInput(_ fd: FileDescriptor) { _ = tcflush(fd.rawValue, TCIFLUSH) }

/// The termios constant for a baud rate.
func speedConstant(_ baud: Int) -> speed_t? {
    switch baud {
    case 9600: speed_t(B9600)
    case 19200: speed_t(B19200)
    case 38400: speed_t(B38400)
    case 57600: speed_t(B57600)
    case 115200: speed_t(B115200)
    case 230400: speed_t(B230400)
    case 460800: speed_t(B460800)
    case 921600: speed_t(B921600)
    case 1_000_000: speed_t(B1000000)
    case 2_000_000: speed_t(B2000000)
    default: nil
    }
}

/// A new pseudo-terminal master and the path of its slave. glibc's posix_openpt, unlockpt and
/// ptsname are hidden from Swift behind feature macros, so this does what they do on Linux:
/// open("/dev/ptmx") (= posix_openpt), ioctl TIOCSPTLCK 0 (= unlockpt), ioctl TIOCGPTN
/// (= ptsname: "/dev/pts/<n>"). grantpt is a no-op with devpts. The two ioctl numbers are the
/// asm-generic _IOW('T', 0x31, int) and _IOR('T', 0x30, unsigned int), valid on x86-64 and
/// arm64; Swift cannot import them as macros.
func openPseudoTerminalMaster() throws(SystemError) -> (master: FileDescriptor, slavePath: String) {
    let setLock: UInt = 0x4004_5431 // TIOCSPTLCK
    let getNumber: UInt = 0x8004_5430 // TIOCGPTN
    let fd = Glibc.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw .current("open", "/dev/ptmx") }
    var unlock: Int32 = 0
    guard ioctl(fd, setLock, &unlock) == 0 else {
        let error = SystemError.current("ioctl(TIOCSPTLCK)", "/dev/ptmx")
        Glibc.close(fd)
        throw error
    }
    var number: UInt32 = 0
    guard ioctl(fd, getNumber, &number) == 0 else {
        let error = SystemError.current("ioctl(TIOCGPTN)", "/dev/ptmx")
        Glibc.close(fd)
        throw error
    }
    return (FileDescriptor(rawValue: fd), "/dev/pts/\(number)")
}

/// `symlink(2)` / `unlink(2)` for the twin's stable link path.
/// Makes `path` a symbolic link to `target`. Only a symbolic link already at `path` (a stale one
/// from a previous run) is replaced; a regular file, directory or device there is refused with
/// EEXIST, never deleted.
func createSymbolicLink(at path: String, pointingTo target: String) throws(SystemError) {
    var status = stat()
    if lstat(path, &status) == 0 {
        guard status.st_mode & S_IFMT == S_IFLNK else {
            throw SystemError(operation: "symlink", path: path, errno: EEXIST)
        }
        _ = unlink(path)
    }
    guard symlink(target, path) == 0 else { throw .current("symlink", path) }
}

/// Unlinks `path` if it is a symbolic link; anything else there is left alone.
func removeSymbolicLink(_ path: String) {
    var status = stat()
    if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK { _ = unlink(path) }
}

/// `clock_gettime(CLOCK_MONOTONIC)` in nanoseconds.
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}
