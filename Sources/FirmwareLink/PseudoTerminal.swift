import Glibc
/// The master side of a fresh pseudo-terminal (posix_openpt, grantpt, unlockpt, ptsname),
/// raw, for a program that plays a device: whatever opens `slavePath` talks to it.
///
/// It also holds the slave open itself, so the master never sees a hang-up between clients:
/// a controller can close and reopen the port as it would a real one.
public final class PseudoTerminal: @unchecked Sendable {
    /// The path a host opens, e.g. /dev/pts/7.
    public let slavePath: String
    private var master: FileDescriptor?
    private var slaveHold: FileDescriptor?

    public init() throws(LinkError) {
        let (master, path): (FileDescriptor, String)
        do {
            (master, path) = try openPseudoTerminalMaster()
        } catch {
            throw .cannotOpen(path: "/dev/ptmx", error)
        }
        let slave: FileDescriptor
        do {
            slave = try FileDescriptor.openReadWrite(path)
            try configureRaw(slave, baud: nil, path: path)
        } catch {
            master.close()
            throw .cannotOpen(path: path, error)
        }
        self.master = master
        self.slaveHold = slave
        self.slavePath = path
    }

    /// Play the device on a pseudo-terminal someone else created — e.g. the pty umockdev puts
    /// behind a fake /dev/ttyACM0 — taking ownership of its master `fd` (closed with this
    /// object). The fd is switched to non-blocking; `devicePath` is what hosts open.
    public init(adoptingMaster fd: Int32, devicePath: String) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        master = FileDescriptor(rawValue: fd)
        slaveHold = nil
        slavePath = devicePath
    }

    deinit { close() }

    public var isOpen: Bool { master != nil }

    /// Closes both sides: a host reading the slave sees the device vanish (EIO / hang-up).
    public func close() {
        master?.close()
        slaveHold?.close()
        master = nil
        slaveHold = nil
    }

    /// Waits up to `timeout` for input from the host; true if some is ready.
    public func waitForInput(timeout: Duration) throws(LinkError) -> Bool {
        guard let fd = master else { throw .disconnected(port: slavePath) }
        do {
            return try fd.waitReadable(timeoutMilliseconds: timeout.pollMilliseconds, path: slavePath) != 0
        } catch {
            throw LinkError(error, port: slavePath)
        }
    }

    /// Reads what the host has written so far (0 if nothing). Never blocks: it reads only what
    /// FIONREAD says the line discipline already holds (a read(2) of an empty tty waits for the
    /// kernel's receive work, which on a busy host stalled the twin's real-time device thread
    /// for up to 90 ms). Bytes still in the kernel's flip buffer arrive on a later call.
    public func readAvailable(into buffer: UnsafeMutableRawBufferPointer) throws(LinkError) -> Int {
        guard let fd = master else { throw .disconnected(port: slavePath) }
        do {
            guard try fd.bytesReadable(path: slavePath) ?? 1 > 0 else { return 0 }
            return try fd.readAvailable(into: buffer, path: slavePath)
        } catch {
            throw LinkError(error, port: slavePath)
        }
    }

    /// Writes what fits in the terminal's queue now, without waiting, and returns how many
    /// bytes that was: like a UART's transmit FIFO, a device must not block on a host that does
    /// not read.
    public func writeAvailable(_ bytes: UnsafeRawBufferPointer) throws(LinkError) -> Int {
        guard let fd = master else { throw .disconnected(port: slavePath) }
        do {
            return try fd.writeAvailable(bytes, path: slavePath)
        } catch {
            throw LinkError(error, port: slavePath)
        }
    }

    /// Makes `linkPath` a symbolic link to the slave (replacing a stale one).
    public func createLink(at linkPath: String) throws(LinkError) {
        do {
            try createSymbolicLink(at: linkPath, pointingTo: slavePath)
        } catch {
            throw .cannotOpen(path: linkPath, error)
        }
    }

    /// Removes a link made by `createLink` (only if it is still a symbolic link).
    public static func removeLink(at linkPath: String) { removeSymbolicLink(linkPath) }
}
