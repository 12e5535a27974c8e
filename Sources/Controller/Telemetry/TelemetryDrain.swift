#if canImport(Glibc)
import Synchronization
import Glibc
#endif
import Foundation

/// The normal-priority thread that empties the `TelemetryRing` every `interval` into the CSV
/// log (buffered stdio). Without a log file it still drains (and discards), so the ring never
/// fills. All file I/O of a run happens here, never on the loop thread.
public final class TelemetryDrain: @unchecked Sendable {
    public let ring: TelemetryRing
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
            if let file { fflush(file) }
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
        ring.drain { record in
            TelemetryPublisher.fromEnvironment?.publish(record)
            if let file {
                fputs(TelemetryCSV.line(record), file)
                linesWritten += 1
            }
        }
    }
}
