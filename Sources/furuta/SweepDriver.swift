import Foundation

/// Where `furuta sweep`'s Python driver lives and how it is started.
///
/// The driver is the package `furuta_sweep` (a directory with `__main__.py`). Its parent
/// directory is searched, first match wins:
///   1. `$FURUTA_SWEEP_PATH`
///   2. `<directory of the furuta executable>/../share/furuta/sweep` (an installed furuta:
///      copy `tools/sweep/furuta_sweep` to `PREFIX/share/furuta/sweep/`)
///   3. `tools/sweep` in a directory above the executable (a build tree: .build/release/furuta)
///   4. `tools/sweep` in the current directory
/// Python is `$FURUTA_PYTHON`, else the first `python3` on PATH.
struct SweepDriver {
    /// The directory holding `furuta_sweep/`.
    let packageParent: URL
    let python: String

    static let package = "furuta_sweep"

    static func candidates(executable: URL, environment: [String: String], currentDirectory: URL) -> [URL] {
        var found: [URL] = []
        if let path = environment["FURUTA_SWEEP_PATH"], !path.isEmpty { found.append(URL(fileURLWithPath: path)) }
        let binDirectory = executable.deletingLastPathComponent()
        found.append(binDirectory.appendingPathComponent("../share/furuta/sweep").standardized)
        var ancestor = binDirectory
        for _ in 0..<6 {
            found.append(ancestor.appendingPathComponent("tools/sweep"))
            ancestor = ancestor.deletingLastPathComponent()
        }
        found.append(currentDirectory.appendingPathComponent("tools/sweep"))
        return found
    }

    static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> SweepDriver {
        let executable = URL(fileURLWithPath: try currentExecutable())
        let places = candidates(executable: executable, environment: environment,
                                currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        guard let parent = places.first(where: {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("\(package)/__main__.py").path)
        }) else {
            throw CommandFailure("""
            furuta sweep cannot find its Python driver (\(package)/__main__.py); looked in:
            \(places.map { "  " + $0.path }.joined(separator: "\n"))
            Set FURUTA_SWEEP_PATH to the directory holding \(package)/ (tools/sweep in the repository).
            """)
        }
        return SweepDriver(packageParent: parent, python: try findPython(environment: environment))
    }

    static func findPython(environment: [String: String]) throws -> String {
        if let chosen = environment["FURUTA_PYTHON"], !chosen.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: chosen) else {
                throw CommandFailure("FURUTA_PYTHON=\(chosen) is not an executable file")
            }
            return chosen
        }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/python3"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw CommandFailure("""
        furuta sweep needs Python 3 with Optuna: no python3 on PATH. Install it (Debian: \
        apt-get install python3 python3-pip), then: python3 -m pip install -r scripts/requirements-test.txt \
        (or set FURUTA_PYTHON to a Python that has them)
        """)
    }

    /// The running furuta executable, with symbolic links resolved.
    static func currentExecutable() throws -> String {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return resolved }
        guard let path = Bundle.main.executablePath else {
            throw CommandFailure("cannot tell where the furuta executable is")
        }
        return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
    }

    /// Replace this process with `python3 -m furuta_sweep ARGUMENTS`; returns only on failure.
    func exec(arguments: [String]) throws {
        var environment = ProcessInfo.processInfo.environment
        let existing = environment["PYTHONPATH"].map { ":" + $0 } ?? ""
        environment["PYTHONPATH"] = packageParent.path + existing
        environment["PYTHONUNBUFFERED"] = "1"
        let argv = [python, "-m", Self.package] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        let failure = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnvp in
                execve(python, cArgv, cEnvp)
                return errno
            }
        }
        throw CommandFailure("cannot start \(python): \(String(cString: strerror(failure)))")
    }
}

/// A NULL-terminated array of C strings alive for the duration of `body` (for execve).
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}
