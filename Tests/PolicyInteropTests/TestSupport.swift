import Foundation
import PolicyFormat

/// Paths, a seeded random source and random policies for the interop tests.
enum TestSupport {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixtures = testsDirectory.appendingPathComponent("Fixtures")
    static let packageRoot = testsDirectory.deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("policyinterop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Output { var status: Int32; var stdout: String; var stderr: String }

    /// Run an executable (found on PATH when not absolute) to completion.
    static func run(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> Output {
        let process = Process()
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Parse a CSV of floats (lines starting with a letter skipped), as written by the fixtures.
    static func csv(_ name: String) throws -> [[Float]] {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        return text.split(separator: "\n").filter { !($0.first?.isLetter ?? true) }.map { line in
            line.split(separator: ",").map { Float($0.trimmingCharacters(in: .whitespaces))! }
        }
    }
}

/// SplitMix64 with Box–Muller normals.
struct SeededRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    mutating func normal(_ sd: Double = 1) -> Float {
        let u = max(uniform(), 1e-300), v = uniform()
        return Float(sd * (-2 * log(u)).squareRoot() * cos(2 * .pi * v))
    }
}

enum RandomPolicy {
    /// A valid policy with the given hidden activations and squash, random weights of scale
    /// ~1/√inputs, a non-trivial normaliser and action scaling.
    static func make(seed: UInt64, hidden: [Int], activations: [Activation], squash: ActionScaling.Squash,
                     historyLength: Int = 1, normaliserClip: Float = 5, unitScaling: Bool = false) -> PolicyFile {
        var rng = SeededRandom(state: seed)
        let layout = ObservationLayout(historyLength: historyLength, armCountsPerRevolution: 4096, pendulumCountsPerRevolution: 8192)
        let widths = [layout.size] + hidden + [layout.actionCount]
        var layers: [DenseLayer] = []
        for k in 0..<(widths.count - 1) {
            let i = widths[k], o = widths[k + 1]
            let sd = 1.5 / Double(i).squareRoot()
            layers.append(DenseLayer(inputCount: i, outputCount: o,
                                     activation: k < activations.count ? activations[k] : .identity,
                                     weights: (0..<(i * o)).map { _ in rng.normal(sd) },
                                     biases: (0..<o).map { _ in rng.normal(0.3) }))
        }
        let n = layout.size
        let normalization = ObservationNormalization(mean: (0..<n).map { _ in rng.normal(0.5) },
                                                     variance: (0..<n).map { _ in Float(0.2 + 3 * rng.uniform()) },
                                                     epsilon: 1e-8, clip: normaliserClip)
        let scaling = unitScaling ? ActionScaling.unit(count: 1, squash: squash)
            : ActionScaling(squash: squash, scale: [0.8], offset: [0.05])
        return PolicyFile(robotIdentity: 0x1234_5678_9ABC_DEF0, robotName: "test-robot", controlRateHz: 250,
                          observationLayout: layout, normalization: normalization, layers: layers, actionScaling: scaling,
                          notes: "random test policy", trainedLatency: TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.008),
                          provenance: PolicyProvenance(algorithm: "ppo", configHash: "abc123", seed: seed, environmentSteps: 1000))
    }

    /// `count` observations ~ N(0, sd²) of `size` components, row-major.
    static func observations(count: Int, size: Int, sd: Double, seed: UInt64) -> [Float] {
        var rng = SeededRandom(state: seed)
        return (0..<(count * size)).map { _ in rng.normal(sd) }
    }
}
