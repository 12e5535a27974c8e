/// Why a recording cannot be read, each case saying what to do about it.
public enum RecordingError: Error, Equatable, CustomStringConvertible {
    case cannotRead(file: String, reason: String)
    case cannotWrite(file: String, reason: String)
    case notARecording(file: String)
    case unsupportedVersion(file: String, found: String)
    /// No `end:` trailer: the writer stopped early or the file was cut.
    case truncated(file: String, lines: Int)
    /// The trailer's CRC-32 does not match the bytes before it.
    case checksumMismatch(file: String, expected: UInt32, found: UInt32)
    /// A malformed line (1-based; 0 when the whole header is at fault).
    case corrupt(file: String, line: Int, String)

    public var description: String {
        switch self {
        case .cannotRead(let file, let reason): return "cannot read recording \(file): \(reason)"
        case .cannotWrite(let file, let reason): return "cannot write recording \(file): \(reason); check the directory exists and is writable"
        case .notARecording(let file):
            return "\(file) is not a recording (it must start with `\(RecordingFormat.magic) \(RecordingFormat.version)`); "
                + "record one with `furuta-controller capture`"
        case .unsupportedVersion(let file, let found):
            return "recording \(file) has format version \(found); this build reads version \(RecordingFormat.version)"
        case .truncated(let file, let lines):
            return "recording \(file) is truncated after \(lines) lines (no `end:` line): the capture did not finish "
                + "or the file was cut; capture it again"
        case .checksumMismatch(let file, let expected, let found):
            return "recording \(file) is corrupt: CRC-32 0x\(String(found, radix: 16)) does not match the end line's "
                + "0x\(String(expected, radix: 16)) (a byte changed since it was written); capture it again"
        case .corrupt(let file, let line, let detail):
            return "recording \(file) is corrupt" + (line > 0 ? " at line \(line)" : "") + ": \(detail)"
        }
    }
}
