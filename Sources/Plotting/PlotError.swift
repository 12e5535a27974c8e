/// Why a plot could not be made, worded so the user knows what to change.
public enum PlotError: Error, CustomStringConvertible, Equatable {
    case unreadable(String, String)
    case unknownInput(String)
    case missingColumn(String, String)
    case noData(String)
    case unsupportedOutput(String)
    case converterMissing(String)
    case converterFailed(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let why): return "cannot read \(path): \(why)"
        case .unknownInput(let path):
            return "\(path) is neither a run folder (with metrics.csv), a folder of runs, a `furuta-controller run --log` CSV, a `furuta sim` CSV, a `furuta sysid fit --report` folder nor a session folder (session.json)"
        case .missingColumn(let path, let column): return "\(path) has no column '\(column)'; was it written by this version of furuta?"
        case .noData(let path): return "\(path) has no rows to plot yet"
        case .unsupportedOutput(let path): return "--out \(path): give a file ending in .svg or .png"
        case .converterMissing(let tool):
            return "PNG output needs \(tool) (Debian: apt-get install librsvg2-bin); or write --out FILE.svg"
        case .converterFailed(let why): return "rsvg-convert could not render the PNG: \(why)"
        }
    }
}
