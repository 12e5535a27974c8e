/// A tty opened raw for the protocol (termios in Syscalls.swift):
/// - O_NOCTTY | O_NONBLOCK, raw 8N1, no flow control, VMIN = VTIME = 0, epoll-based waits;
/// - HUPCL cleared and the modem lines left alone, so opening and closing do not pulse
///   DTR/RTS and do not reset an ESP32 through its auto-reset transistors. (Linux itself
///   raises DTR and RTS together on the first open of a port; on the usual ESP32 circuit
///   both asserted together does not reset. Only the transitions this code could cause are
///   avoided.)
public final class SerialPort: ByteChannel {
    public let name: String
    private var descriptor: FileDescriptor?
    private var waiter: InputWaiter?

    /// Opens `path` raw at `baud` (nil keeps the current speed: a pty, or USB CDC where the
    /// rate is ignored). Pending input is discarded.
    public init(path: String, baud: Int? = 921_600) throws(LinkError) {
        name = path
        let fd: FileDescriptor
        do {
            fd = try FileDescriptor.openReadWrite(path)
        } catch {
            throw .cannotOpen(path: path, error)
        }
        do {
            try configureRaw(fd, baud: baud, path: path)
        } catch {
            fd.close()
            throw .cannotOpen(path: path, error)
        }
        discardInput(fd)
        do {
            waiter = try InputWaiter.open(watching: fd, path: path)
        } catch {
            fd.close()
            throw .cannotOpen(path: path, error)
        }
        descriptor = fd
    }

    deinit { close() }

    public func close() {
        waiter?.close()
        waiter = nil
        descriptor?.close()
        descriptor = nil
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(LinkError) {
        guard let fd = descriptor else { throw .disconnected(port: name) }
        do {
            try fd.writeAll(bytes, path: name)
        } catch {
            throw LinkError(error, port: name)
        }
    }

    /// Waits up to `timeout` for bytes without ever blocking in the tty itself: reads only what
    /// FIONREAD says the line discipline holds, and waits on an edge-triggered epoll set. (A
    /// read(2) or poll(2) of an empty tty first waits for the kernel's receive work, an ordinary
    /// kworker: on a busy host that held the SCHED_FIFO loop thread for up to 116 ms.)
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws(LinkError) -> Int {
        guard let fd = descriptor, let waiter else { throw .disconnected(port: name) }
        do throws(SystemError) {
            // Without FIONREAD (nil) a non-blocking read(2) stands in for it.
            let held = try fd.bytesReadable(path: name)
            if held ?? 1 > 0 {
                let n = try fd.readAvailable(into: buffer, path: name)
                if n > 0 || held != nil { return n }
            }
            let events = try waiter.wait(timeoutNanoseconds: timeout.wholeNanoseconds, path: name)
            if events == 0 { return 0 }
            // A hung-up tty (device unplugged, twin gone) fails FIONREAD with EIO: disconnected.
            if try fd.bytesReadable(path: name) ?? 1 > 0 {
                let n = try fd.readAvailable(into: buffer, path: name)
                if n > 0 { return n }
            }
            if InputWaiter.isHangUp(events) {
                throw SystemError(operation: "read (hang-up)", path: name, errno: 5 /* EIO */)
            }
            return 0
        } catch {
            throw LinkError(error, port: name)
        }
    }
}
