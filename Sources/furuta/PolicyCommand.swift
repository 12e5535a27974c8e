import ArgumentParser
import PolicyFormat

/// `furuta policy`: policies in and out of the `.policy` format, and a look inside one.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Export a .policy to ONNX, import a PyTorch-trained policy, run or inspect a policy file.",
        discussion: "Formats and tolerances: docs/policy-format.md (\"Interoperability\").",
        subcommands: [PolicyExportONNXCommand.self, PolicyImportCommand.self, PolicyInferCommand.self, PolicyShowCommand.self]
    )
}

/// Read a policy file or fail with its path and the format's message.
func readPolicyFile(_ path: String) throws -> PolicyFile {
    do { return try PolicyFile(contentsOfFile: path) } catch { throw CommandFailure("\(path): \(error)") }
}
