import Foundation

/// Runs a program to completion with a bounded wait, capturing its output: the tests' way to
/// run the built `furuta-controller` and to relaunch the test bundle under umockdev-wrapper.
struct ChildProcess {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
        var timedOut: Bool
    }

    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Duration = .seconds(60)
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice

        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()

        // Read both pipes while the child runs, so a chatty child cannot fill one and block.
        let collected = CollectedOutput()
        let readers = DispatchGroup()
        for (pipe, keyPath) in [(output, \CollectedOutput.standardOutput), (errors, \CollectedOutput.standardError)] {
            DispatchQueue.global().async(group: readers) {
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                collected.store(data, at: keyPath)
            }
        }

        let (seconds, attoseconds) = timeout.components
        let timedOut = exited.wait(timeout: .now() + .seconds(Int(seconds)) + .nanoseconds(Int(attoseconds / 1_000_000_000))) == .timedOut
        if timedOut {
            process.terminate()
            exited.wait()
        }
        readers.wait()
        return Result(
            status: process.terminationStatus,
            standardOutput: collected.text(\.standardOutput),
            standardError: collected.text(\.standardError),
            timedOut: timedOut)
    }
}

private final class CollectedOutput: @unchecked Sendable {
    // Guarded by `lock`; each reader writes its own field once.
    private let lock = NSLock()
    var standardOutput = Data()
    var standardError = Data()

    func store(_ data: Data, at keyPath: ReferenceWritableKeyPath<CollectedOutput, Data>) {
        lock.withLock { self[keyPath: keyPath] = data }
    }

    func text(_ keyPath: KeyPath<CollectedOutput, Data>) -> String {
        lock.withLock { String(decoding: self[keyPath: keyPath], as: UTF8.self) }
    }
}

/// Where SwiftPM put the build products: the directory of the running test bundle, which is
/// the same `.build/<triple>/debug` that holds `furuta-controller`.
enum BuiltProducts {
    static var directory: URL {
        let bundle = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: bundle).deletingLastPathComponent()
    }

    static var testBundle: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    static func executable(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }

    /// A program from $PATH (or the usual system directories), or nil.
    static func systemTool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let directories = path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/sbin", "/bin"]
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
