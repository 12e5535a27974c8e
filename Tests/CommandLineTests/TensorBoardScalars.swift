import Foundation
import Testing

/// TensorBoard's own reader (EventAccumulator, through scripts/tensorboard-scalars.py), so the
/// tests check event files against the program that has to display them.
enum TensorBoardScalars {
    /// Every scalar series under `directory`: tag → [(step, value)].
    static func read(_ directory: URL) throws -> [String: [(step: Int, value: Double)]] {
        let json = try #require(try output(directory, texts: false) as? [String: [[Double]]])
        return json.mapValues { $0.map { (step: Int($0[0]), value: $0[1]) } }
    }

    /// Every series of TensorBoard's Text tab under `directory`: tag → [(step, text)].
    static func texts(_ directory: URL) throws -> [String: [(step: Int, text: String)]] {
        let json = try #require(try output(directory, texts: true) as? [String: [[Any]]])
        return try json.mapValues { points in
            try points.map { point in
                (step: try #require(point.first as? NSNumber).intValue, text: try #require(point.last as? String))
            }
        }
    }

    private static func output(_ directory: URL, texts: Bool) throws -> Any {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/tensorboard-scalars.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + (texts ? ["--texts"] : []) + [directory.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0,
                     "TensorBoard's reader failed: `python3 -m pip install -r scripts/requirements-test.txt` installs it")
        return try JSONSerialization.jsonObject(with: data)
    }
}
