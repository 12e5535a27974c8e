import CommandLogging
import Logging

/// Where `furuta-controller`'s diagnostics go (swift-log, to stderr, at `--log-level`): the
/// session's reports (from the thread that runs it and from the telemetry drain thread, never
/// the loop thread), warnings and progress, never a command's output (tables, JSON, CSV).
let logger = CommandLog.logger("furuta-controller")

/// A session's `report` message as a log line: "warning: …" at warning level, the rest at info.
@Sendable func logReport(_ message: String) {
    if message.hasPrefix("warning: ") {
        logger.warning("\(message.dropFirst("warning: ".count))")
    } else {
        logger.info("\(message)")
    }
}
