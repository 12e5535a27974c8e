#if canImport(Glibc)
import Synchronization
import Glibc
#endif
import Foundation

/// The normal-priority thread that empties the `TelemetryRing` every `interval` into the CSV
/// log. Without a log file it still drains (and discards), so the ring never fills. All file
/// I/O of a run happens here, never on the loop thread.
///
/// Each batch is one string written with write(2) on a non-blocking descriptor, so every
/// failure is seen where it happens: a full disk (ENOSPC), a FIFO whose reader left (EPIPE;
/// SIGPIPE is ignored), or a reader too slow for 100 ms (EAGAIN). The rows of a batch that did
/// not get out whole are counted in `loss` (per batch) — which the loop reads with one atomic load and stops
/// on past `SafetyLimits.telemetryLossLimit` — and never stop this thread or reach the loop.
public final class TelemetryDrain: @unchecked Sendable {
    public let ring: TelemetryRing
    /// Rows lost to write errors, and the first error.
    public let loss = TelemetryLoss()
    private let descriptor: Int32
    private let interval: Duration
    private let stopFlag = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    public private(set) var linesWritten = 0
    /// Progress lines from the drained records (set before `start()`); on this thread only.
    public var progress: RunProgress?
    /// Gets each batch of CSV rows as written to the log (set before `start()`; called on this
    /// thread, so it must not block: a training session's `LearnerLink` queues it or drops it).
    public var batchSink: (@Sendable (String) -> Void)?
    private var batch = String()
    /// A batch written in part: the rest of its first row goes before anything else, or the CSV
    /// would splice two rows.
    private var pending: [UInt8] = []

    /// Opens `logPath` (truncating; a FIFO must have a reader) and writes the header; throws a
    /// message if it cannot.
    public init(ring: TelemetryRing, logPath: String?, interval: Duration = .milliseconds(50)) throws(ControllerError) {
        self.ring = ring
        self.interval = interval
        if let logPath {
            let fd = open(logPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NONBLOCK, 0o644)
            guard fd >= 0 else {
                let reason = errno == ENXIO ? "a FIFO with no reader" : String(cString: strerror(errno))
                throw .cannotWrite(path: logPath, reason: reason)
            }
            descriptor = fd
            batch.reserveCapacity(1 << 16)
            _ = write(TelemetryCSV.header + "\n")
        } else {
            descriptor = -1
        }
    }

    public func start() {
        let thread = Thread { [self] in
            RealtimeSetup.nameCurrentThread("furuta-log")
            while !stopFlag.load(ordering: .acquiring) {
                drainOnce()
                Thread.sleep(forTimeInterval: Double(interval.components.attoseconds) * 1e-18 + Double(interval.components.seconds))
            }
            drainOnce()
            finished.signal()
        }
        thread.name = "furuta-log"
        thread.start()
    }

    /// Stops the thread after a final drain and closes the file. Idempotent.
    public func stop() {
        guard !stopFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
        if descriptor >= 0 { close(descriptor) }
    }

    private func drainOnce() {
        batch.removeAll(keepingCapacity: true)
        var rows = 0
        ring.drain { record in
            TelemetryPublisher.fromEnvironment?.publish(record)
            progress?.observe(record)
            guard descriptor >= 0 else { return }
            batch += TelemetryCSV.line(record)
            rows += 1
        }
        guard rows > 0 else { return }
        batchSink?(batch)
        if let code = write(batch) {
            loss.record(rows: rows, errno: code)
        } else {
            linesWritten += rows
        }
    }

    /// Writes all of `text` (after any pending tail), waiting up to 100 ms for room. Returns the
    /// errno that stopped it, nil when all went out.
    private func write(_ text: String) -> Int32? {
        var bytes = pending
        pending.removeAll()
        bytes.append(contentsOf: text.utf8)
        var offset = 0
        var waited = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 {
                offset += n
                continue
            }
            let code = n < 0 ? errno : EIO
            if code == EINTR { continue }
            if code == EAGAIN && waited < 100 {
                var slot = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&slot, 1, 10)
                waited += 10
                continue
            }
            // Keep the tail of a row cut in half, so the next batch starts on a row boundary.
            let rowStart = bytes[..<offset].lastIndex(of: 10).map { $0 + 1 } ?? 0
            if rowStart < offset {
                let rowEnd = bytes[offset...].firstIndex(of: 10).map { $0 + 1 } ?? bytes.count
                pending = Array(bytes[offset..<rowEnd])
            }
            return code
        }
        return nil
    }
}
