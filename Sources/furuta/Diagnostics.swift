import CommandLogging
import Logging

/// Where `furuta`'s diagnostics go (swift-log, to stderr, at `--log-level`): warnings and notes,
/// never a command's output. Lines read `furuta: warning: …`.
let logger = CommandLog.logger("furuta")
