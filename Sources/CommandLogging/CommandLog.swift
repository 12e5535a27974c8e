#if canImport(Glibc)
import Glibc
#endif
import Logging
import Synchronization

/// swift-log for the non-real-time parts of `furuta` and `furuta-controller`: diagnostics
/// (warnings, notes, what a command is waiting for) go through a `Logger` to stderr, at the level
/// `--log-level` sets; the commands' actual output (tables, JSON, CSV) stays on stdout. Nothing
/// logs from the control loop's thread: the controller reports through its drain thread and the
/// session's thread.
public enum CommandLog {
    /// The threshold every handler reads when it logs, so a logger made before `--log-level`
    /// was parsed still obeys it.
    static let level = Mutex<Logger.Level>(.info)
    private static let installed = Mutex(false)

    /// Installs `CommandLineLogHandler` as swift-log's handler (once per process) and sets the
    /// threshold.
    public static func bootstrap(level newLevel: Logger.Level) {
        level.withLock { $0 = newLevel }
        let first = installed.withLock { done in
            defer { done = true }
            return !done
        }
        if first { LoggingSystem.bootstrap { label in CommandLineLogHandler(label: label) } }
    }

    /// A logger labelled `label` (the binary's name: every line starts with it).
    public static func logger(_ label: String) -> Logger {
        if !installed.withLock({ $0 }) { bootstrap(level: level.withLock { $0 }) }
        return Logger(label: label)
    }
}

/// One line per message on stderr, as a command-line tool's diagnostics read:
/// `furuta-controller: waiting for the board …`, `furuta: warning: …` (the level is named from
/// notice up, and for debug and trace), metadata appended as `key=value`. Each line goes out in
/// one write(2), so lines from two threads never interleave.
public struct CommandLineLogHandler: LogHandler {
    public let label: String
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String) { self.label = label }

    public var logLevel: Logger.Level {
        get { CommandLog.level.withLock { $0 } }
        set { CommandLog.level.withLock { $0 = newValue } }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let named: String = switch event.level {
        case .info: ""
        default: "\(event.level.rawValue): "
        }
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let fields = merged.sorted { $0.key < $1.key }.map { " \($0.key)=\($0.value)" }.joined()
        let line = Array("\(label): \(named)\(event.message)\(fields)\n".utf8)
        _ = line.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
