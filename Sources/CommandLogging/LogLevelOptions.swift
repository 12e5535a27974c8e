import ArgumentParser
import Logging

/// `--log-level`, shared by the commands of both binaries as an `@OptionGroup`: how much of the
/// diagnostics on stderr to show. `apply()` at the start of `run()`.
public struct LogLevelOptions: ParsableArguments {
    @Option(help: "Diagnostics on stderr from this level up: trace, debug, info, notice, warning, error, critical.")
    public var logLevel: Logger.Level = .info

    public init() {}

    public func apply() { CommandLog.bootstrap(level: logLevel) }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
