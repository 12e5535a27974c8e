import ArgumentParser
import Foundation
import PolicyFormat
import PolicyInterop

/// `furuta policy export-onnx FILE.policy OUT.onnx`.
struct PolicyExportONNXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-onnx",
        abstract: "Write a .policy file's whole computation (normaliser, network, action scaling) as an ONNX model.",
        discussion: """
        Input "observation" [batch, size] (raw observations), output "action" [batch, actions].
        Opset 17. The format's tanh and ELU are written out as elementwise nodes, so ONNX Runtime
        matches `furuta policy infer` to float32 rounding of the matrix products (≤ 1e-6 tested).
        The robot identity, name, control rate and layout are in the model's metadata_props.
        """)

    @Argument(help: "The .policy file.")
    var policy: String
    @Argument(help: "The ONNX file to write.")
    var output: String

    func run() throws {
        let file = try readPolicyFile(policy)
        let model: ONNXModel
        do { model = try PolicyONNXExport.model(for: file) } catch { throw CommandFailure("\(policy): \(error)") }
        let bytes = model.encoded()
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            throw CommandFailure("cannot write \(output): \(error.localizedDescription)")
        }
        print("wrote \(output): \(file.observationLayout.size) observations → \(file.observationLayout.actionCount) action(s), "
              + "\(model.graph.nodes.count) nodes, opset \(model.opsetVersion), \(bytes.count) bytes")
    }
}
