import Foundation
import PolicyFormat
@testable import PolicyInterop

/// Runs an exported model in the real ONNX Runtime (python3 + onnxruntime, pinned in
/// scripts/requirements-test.txt) through Scripts/run_onnx.py.
enum ONNXRuntimeHarness {
    struct Result {
        var actions: [Float]
        /// The JSON line the script printed (names, shapes, metadata).
        var description: [String: Any]
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func run(_ model: ONNXModel, observations: [Float], rows: Int) throws -> Result {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let modelURL = dir.appendingPathComponent("policy.onnx")
        let inURL = dir.appendingPathComponent("observations.f32"), outURL = dir.appendingPathComponent("actions.f32")
        try Data(model.encoded()).write(to: modelURL)
        try observations.withUnsafeBytes { try Data($0).write(to: inURL) }
        let script = TestSupport.testsDirectory.appendingPathComponent("Scripts/run_onnx.py").path
        let output = try TestSupport.run("python3", [script, modelURL.path, inURL.path, "\(rows)", outURL.path])
        guard output.status == 0 else {
            throw Failure(description: "ONNX Runtime run failed (exit \(output.status)): \(output.stderr)")
        }
        let data = try Data(contentsOf: outURL)
        let actions = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let json = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        return Result(actions: actions, description: json)
    }
}
