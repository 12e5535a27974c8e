import Foundation

/// Where the default `--robot` is found, so a binary copied to a robot computer finds its robot
/// without the build machine's source tree:
///
/// 1. `$FURUTA_ROBOT` (a path to a robot.yaml) when set, whether or not it exists;
/// then the first that exists of
/// 2. `assets/furuta/robot.yaml` under the working directory (running from a checkout);
/// 3. `<directory of the executable>/../share/furuta/robot.yaml` (the install layout that
///    `scripts/install.sh PREFIX` makes: `PREFIX/bin/furuta`, `PREFIX/share/furuta/`);
/// 4. `assets/furuta/robot.yaml` in the source checkout the binary was built from, if it is
///    still there (development builds).
extension RobotDescription {
    /// The candidate paths of the default description, in search order.
    public static var searchPaths: [String] {
        var paths: [String] = []
        if let fromEnvironment = ProcessInfo.processInfo.environment["FURUTA_ROBOT"], !fromEnvironment.isEmpty {
            paths.append(fromEnvironment)
        }
        paths.append(relativeAssetPath)
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        paths.append(executable.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/furuta/robot.yaml").path)
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        paths.append(packageRoot.appendingPathComponent(relativeAssetPath).path)
        return paths
    }

    /// The description shipped with the project: `$FURUTA_ROBOT` if set, else the first of
    /// `searchPaths` that exists (or the first candidate, so that the error names it).
    public static var defaultPath: String {
        // Set, it is the choice: a wrong path is an error naming it, not a silent fallback.
        if let fromEnvironment = ProcessInfo.processInfo.environment["FURUTA_ROBOT"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let candidates = searchPaths
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates[0]
    }

    static let relativeAssetPath = "assets/furuta/robot.yaml"
}
