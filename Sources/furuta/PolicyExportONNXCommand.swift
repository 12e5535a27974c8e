import ArgumentParser
import CommandLogging
import Foundation
import RegularFiles
import PolicyFormat
import PolicyInterop

/// `furuta policy export-onnx FILE.policy OUT.onnx`.
struct PolicyExportONNXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-onnx",
        abstract: "Write a .policy file's whole computation (normaliser, network, action scaling) as an ONNX model.",
        discussion: """
        Input "observation" [batch, size] (raw observations), output "action" [batch, actions]. \
        Opset 17. The format's tanh and ELU are written out as elementwise nodes, and by default \
        each layer's products are summed in the format's order (Gather/Mul/Add per input), so ONNX \
        Runtime gives the same float32 bits as `furuta policy infer`. `--products matmul` writes one \
        MatMul per layer instead (smaller and faster; differs by float32 rounding, up to ~2e-6 measured). \
        The robot identity, name, control rate and layout are in the model's metadata_props.
        """)

    @Argument(help: "The .policy file.")
    var policy: String
    @Argument(help: "The ONNX file to write.")
    var output: String
    @Option(help: "How layers are written: format-order (bit-identical) or matmul (compact).")
    var products: String = PolicyONNXExport.Products.formatOrder.rawValue

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let file = try readPolicyFile(policy)
        guard let kind = PolicyONNXExport.Products(rawValue: products) else {
            throw ValidationError("--products must be format-order or matmul, not '\(products)'")
        }
        let model: ONNXModel
        do { model = try PolicyONNXExport.model(for: file, products: kind) } catch { throw CommandFailure("\(policy): \(error)") }
        let bytes = model.encoded()
        do {
            // Atomic, and never over a device, FIFO or directory.
            try RegularFile.write(bytes, to: output)
        } catch {
            throw CommandFailure("cannot write \(error)")
        }
        print("wrote \(output): \(file.observationLayout.size) observations → \(file.observationLayout.actionCount) action(s), "
              + "\(model.graph.nodes.count) nodes, opset \(model.opsetVersion), \(bytes.count) bytes")
    }
}
