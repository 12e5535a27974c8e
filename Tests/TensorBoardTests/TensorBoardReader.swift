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
        let json = try read(directory, texts: false) as? [String: [[Double]]]
        guard let json else { throw Failure(description: "unexpected reader output for scalars") }
        return json.mapValues { $0.map { (step: Int($0[0]), value: $0[1]) } }
    }

    /// Every series of TensorBoard's Text tab under `directory`: tag → [(step, text)].
    static func texts(in directory: URL) throws -> [String: [(step: Int, text: String)]] {
        let json = try read(directory, texts: true) as? [String: [[Any]]]
        guard let json else { throw Failure(description: "unexpected reader output for texts") }
        return try json.mapValues { points in
            try points.map { point in
                guard let step = point.first as? NSNumber, let text = point.last as? String else {
                    throw Failure(description: "unexpected text point \(point)")
                }
                return (step: step.intValue, text: text)
            }
        }
    }

    private static func read(_ directory: URL, texts: Bool) throws -> Any {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + (texts ? ["--texts"] : []) + [directory.path]
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
        return try JSONSerialization.jsonObject(with: data)
    }
}
