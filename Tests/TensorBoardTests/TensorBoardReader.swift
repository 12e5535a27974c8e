import Foundation

/// TensorBoard's own reader (EventAccumulator, through scripts/tensorboard-scalars.py), so the
/// tests check event files against the program that has to display them.
enum TensorBoardReader {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/tensorboard-scalars.py").path

    /// Every scalar series under `directory`: tag → [(step, value)].
    static func scalars(in directory: URL) throws -> [String: [(step: Int, value: Double)]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, directory.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "TensorBoard's reader failed (install it with "
                + "`python3 -m pip install -r scripts/requirements-test.txt`): \(errors)")
        }
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: [[Double]]] else {
            throw Failure(description: "unexpected reader output: \(String(decoding: data, as: UTF8.self))")
        }
        return json.mapValues { $0.map { (step: Int($0[0]), value: $0[1]) } }
    }
}
