/// Why a `.policy` file was refused. Every message says what to do about it.
public enum PolicyFileError: Error, Equatable, CustomStringConvertible {
    /// The file ends before its declared contents do.
    case truncated(expectedBytes: Int, actualBytes: Int)
    /// The first bytes are not "FURUTAPL".
    case badMagic
    /// The file was written by a format version this build cannot read.
    case unsupportedVersion(found: UInt16, supported: UInt16)
    /// The stored CRC32 does not match the contents.
    case checksumMismatch(stored: UInt32, computed: UInt32)
    /// Sizes that must agree do not (layers, normaliser, layout, action scaling).
    case shapeMismatch(String)
    /// A weight, bias or statistic is NaN or infinite.
    case nonFinite(String)
    /// A value outside its allowed range or an unknown enumeration code.
    case invalidValue(String)
    /// The file could not be opened, read or written (the text names the path and why).
    case unreadable(String)

    public var description: String {
        switch self {
        case let .truncated(expected, actual):
            return "policy file is truncated: \(actual) bytes, at least \(expected) needed; copy the file again (an interrupted transfer?)"
        case .badMagic:
            return "not a policy file (it does not start with \"FURUTAPL\"); pass a .policy file written by `furuta train` (DIR/final.policy or DIR/best.policy)"
        case let .unsupportedVersion(found, supported):
            return "policy file format version \(found) is not supported (this build reads version \(supported)); re-export the policy with a matching `furuta` or update the controller"
        case let .checksumMismatch(stored, computed):
            return "policy file is corrupted: CRC32 stored 0x\(String(stored, radix: 16)), computed 0x\(String(computed, radix: 16)); copy the file again"
        case let .shapeMismatch(detail):
            return "policy file shapes disagree: \(detail)"
        case let .nonFinite(detail):
            return "policy file holds a non-finite number: \(detail); the training diverged: train again or use the run's best.policy"
        case let .invalidValue(detail):
            return "policy file holds an invalid value: \(detail)"
        case let .unreadable(detail):
            return detail
        }
    }
}
