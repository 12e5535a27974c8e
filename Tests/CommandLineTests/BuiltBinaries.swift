import Foundation

/// The executables `swift build` placed next to the test bundle.
enum BuiltBinaries {
    static var directory: URL {
        // The test runner lives in the same bin directory as the products.
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var dir = runner.deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("furuta").path) {
            dir = dir.deletingLastPathComponent()
        }
        if dir.path != "/" { return dir }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug")
    }

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Ended by a signal (status is then the signal number).
        var signalled = false
        /// Still running at the time limit, then killed.
        var timedOut = false
    }

    /// Run a product to completion (or until `timeoutSeconds`, then SIGKILL). Output goes to
    /// temporary files, so a child that fills a pipe cannot stall the wait.
    static func run(_ name: String, _ arguments: [String], timeoutSeconds: Double = 600) throws -> Output {
        try run(executable: path(name), arguments, timeoutSeconds: timeoutSeconds)
    }

    /// As `run(_:_:timeoutSeconds:)` for any executable, in `directory`, with `environment`
    /// changes (nil removes a variable).
    static func run(executable: String, _ arguments: [String], in directory: String? = nil,
                    environment changes: [String: String?] = [:], timeoutSeconds: Double = 600) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !changes.isEmpty {
            var environment = ProcessInfo.processInfo.environment
            for (key, value) in changes { environment[key] = value }
            process.environment = environment
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID())")
        let outURL = scratch.appendingPathExtension("out"), errURL = scratch.appendingPathExtension("err")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                timedOut = true
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        try out.close(); try err.close()
        return Output(status: process.terminationStatus,
                      stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                      stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "",
                      signalled: process.terminationReason == .uncaughtSignal, timedOut: timedOut)
    }
}
