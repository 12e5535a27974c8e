import ArgumentParser
import CommandLogging
import Foundation
import RegularFiles
import PolicyFormat
import PolicyInterop

/// `furuta policy infer FILE --inputs obs.csv`.
struct PolicyInferCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer",
        abstract: "Print the policy's actions for rows of raw observations (CSV in, CSV out).",
        discussion: """
        One observation per line, comma-separated, in the policy's layout (`furuta policy show`). \
        Lines that are empty, start with '#' or with a letter (a header) are skipped. Output: a \
        header line `action_0,…`, then one line of actions per observation, each value in the \
        shortest form that reads back as the same float32. Runs FrozenPolicy, as the controller does.
        """)

    @Argument(help: "The .policy file.")
    var policy: String
    @Option(help: "CSV file of observations ('-' for standard input).")
    var inputs: String
    @Option(help: "Write the actions here instead of standard output.")
    var out: String?

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let file = try readPolicyFile(policy)
        let frozen = try FrozenPolicy(file)
        let text: String
        if inputs == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else {
            // Regular files only, capped: a FIFO or device is named, never read forever.
            let bytes: [UInt8]
            do { bytes = try RegularFile.read(inputs, limit: 1 << 30, what: "a CSV of observations") } catch {
                throw CommandFailure("--inputs \(error)")
            }
            text = String(decoding: bytes, as: UTF8.self)
        }
        let rows: [[Float]]
        do { rows = try ObservationCSV.parse(text, width: frozen.observationSize) } catch { throw CommandFailure("\(inputs): \(error)") }
        let actions = rows.map { frozen.action(for: $0) }
        let csv = ObservationCSV.format(actions, header: (0..<frozen.actionCount).map { "action_\($0)" })
        if let out {
            do { try RegularFile.write(csv, to: out) } catch {
                throw CommandFailure("cannot write --out \(error)")
            }
        } else {
            FileHandle.standardOutput.write(Data(csv.utf8))
        }
    }
}
