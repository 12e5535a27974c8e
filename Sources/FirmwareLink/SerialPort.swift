/// A tty opened raw for the protocol (termios in Syscalls.swift):
/// - O_NOCTTY | O_NONBLOCK, raw 8N1, no flow control, VMIN = VTIME = 0, poll-based waits;
/// - HUPCL cleared and the modem lines left alone, so opening and closing do not pulse
///   DTR/RTS and do not reset an ESP32 through its auto-reset transistors. (Linux itself
///   raises DTR and RTS together on the first open of a port; on the usual ESP32 circuit
///   both asserted together does not reset. Only the transitions this code could cause are
///   avoided.)
public final class SerialPort: ByteChannel {
    public let name: String
    private var descriptor: FileDescriptor?

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
        descriptor = fd
    }

    deinit { close() }

    public func close() {
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

    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws(LinkError) -> Int {
        guard let fd = descriptor else { throw .disconnected(port: name) }
        do throws(SystemError) {
            let count = try fd.readAvailable(into: buffer, path: name)
            if count > 0 { return count }
            let events = try fd.waitReadable(timeoutNanoseconds: timeout.wholeNanoseconds, path: name)
            if events == 0 { return 0 }
            let ready = try fd.readAvailable(into: buffer, path: name)
            if ready == 0, FileDescriptor.isHangUp(events) {
                throw SystemError(operation: "read (hang-up)", path: name, errno: 5 /* EIO */)
            }
            return ready
        } catch {
            throw LinkError(error, port: name)
        }
    }
}
