import ArgumentParser
import CommandLogging
import Foundation
import PolicyFormat
import PolicyInterop

/// `furuta policy show FILE [--json]`.
struct PolicyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Describe a .policy file: robot, rate, layout, network, normaliser, actions, trained latency, provenance.",
        discussion: "A rehearsal record beside the file (FILE.rehearsal.json, or NAME.rehearsal.json for NAME.policy) is shown too.")

    @Argument(help: "The .policy file.")
    var policy: String
    @Flag(help: "Print JSON (snake_case keys).")
    var json = false

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let file = try readPolicyFile(policy)
        let record: (path: String, value: JSONValue)?
        do { record = try PolicySummary.rehearsalRecord(besidePolicy: policy) } catch { throw CommandFailure("\(error)") }
        let summary = PolicySummary(policy: file, rehearsalRecord: record?.path, rehearsal: record?.value)
        print(json ? try summary.json() : summary.text, terminator: "")
    }
}
