#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Telemetry rows the drain thread could not write (full disk, closed pipe): the drain adds,
/// the loop reads with one atomic load. The first error's errno is kept for the summary.
public final class TelemetryLoss: Sendable {
    private let lostRows = Atomic<Int>(0)
    private let firstErrno = Atomic<Int32>(0)

    public init() {}

    public var rows: Int { lostRows.load(ordering: .relaxed) }

    /// "No space left on device" etc., nil while nothing failed.
    public var firstError: String? {
        let code = firstErrno.load(ordering: .relaxed)
        return code == 0 ? nil : String(cString: strerror(code))
    }

    func record(rows: Int, errno code: Int32) {
        lostRows.add(rows, ordering: .relaxed)
        _ = firstErrno.compareExchange(expected: 0, desired: code == 0 ? EIO : code, ordering: .relaxed)
    }
}
