/// Why the view could not start, worded so the user knows what to change.
public enum ViewError: Error, CustomStringConvertible {
    case socket(String)
    case server(String)

    public var description: String {
        switch self {
        case .socket(let why), .server(let why): return why
        }
    }
}
