#if canImport(Glibc)
import Synchronization
import Glibc
#endif
import Foundation

/// The normal-priority thread that empties the `TelemetryRing` every `interval` into the CSV
/// log (buffered stdio). Without a log file it still drains (and discards), so the ring never
/// fills. All file I/O of a run happens here, never on the loop thread.
///
/// Write errors (a full disk, a FIFO whose reader left: EPIPE, SIGPIPE being ignored) never
/// stop this thread or reach the loop: each batch is flushed, and the rows of a batch whose
/// write or flush failed are counted in `loss` (which the loop reads with one atomic load and
/// stops on past `SafetyLimits.telemetryLossLimit`).
public final class TelemetryDrain: @unchecked Sendable {
    public let ring: TelemetryRing
    /// Rows lost to write errors, and the first error.
    public let loss = TelemetryLoss()
    private let file: UnsafeMutablePointer<FILE>?
    private let interval: Duration
    private let stopFlag = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    public private(set) var linesWritten = 0

    /// Opens `logPath` (truncating) and writes the header; throws a message if it cannot.
    public init(ring: TelemetryRing, logPath: String?, interval: Duration = .milliseconds(50)) throws(ControllerError) {
        self.ring = ring
        self.interval = interval
        if let logPath {
            guard let handle = fopen(logPath, "w") else {
                throw .cannotWrite(path: logPath, reason: String(cString: strerror(errno)))
            }
            file = handle
            fputs(TelemetryCSV.header + "\n", handle)
        } else {
            file = nil
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

    /// Stops the thread after a final drain and closes the file.
    public func stop() {
        stopFlag.store(true, ordering: .releasing)
        finished.wait()
        if let file { fclose(file) }
    }

    private func drainOnce() {
        var batch = 0
        var failed = false
        ring.drain { record in
            guard let file else { return }
            batch += 1
            if fputs(TelemetryCSV.line(record), file) < 0 { failed = true }
        }
        guard let file, batch > 0 else { return }
        if fflush(file) != 0 || ferror(file) != 0 { failed = true }
        if failed {
            loss.record(rows: batch, errno: errno)
            clearerr(file)
        } else {
            linesWritten += batch
        }
    }
}
