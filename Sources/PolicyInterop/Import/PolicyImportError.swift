/// Why a checkpoint could not become a `.policy`. Every message names what is unsupported or
/// wrong and what to do instead.
public enum PolicyImportError: Error, Equatable, CustomStringConvertible {
    /// The archive or pickle is damaged or cut short.
    case malformed(String)
    /// A well-formed checkpoint of something we do not import (recurrent, CNN, an activation…).
    case unsupported(String)
    /// The checkpoint and the declared observation layout or robot disagree.
    case mismatch(String)
    /// A command-line value is wrong.
    case badArgument(String)
    /// The file could not be read.
    case unreadable(String)

    public var description: String {
        switch self {
        case .malformed(let detail): return "malformed checkpoint: \(detail)"
        case .unsupported(let detail): return "unsupported checkpoint: \(detail)"
        case .mismatch(let detail): return "checkpoint does not fit: \(detail)"
        case .badArgument(let detail): return detail
        case .unreadable(let detail): return "\(detail); check the path and its permissions"
        }
    }
}
