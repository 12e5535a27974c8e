import Foundation
import MotorModel
import Yams

/// A robot description file (`assets/<robot>/robot.yaml`) read and validated: the typed
/// `RobotParameters` every part of the project shares, and where the MJCF geometry lives.
public struct RobotDescription: Sendable, Equatable {
    /// The physical parameters.
    public var parameters: RobotParameters
    /// Absolute path of the MJCF model (the file's `mjcf` key, relative to the description).
    public var mjcfPath: String
    /// The description file it came from.
    public var sourcePath: String

    /// The description shipped with the project, `assets/furuta/robot.yaml`, found relative to
    /// the working directory or, failing that, to the source tree this binary was built from.
    public static var defaultPath: String {
        let relative = "assets/furuta/robot.yaml"
        if FileManager.default.fileExists(atPath: relative) { return relative }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return packageRoot.appendingPathComponent(relative).path
    }

    /// Read and validate a description.
    ///
    /// - Parameter overrides: `key.path → value` pairs applied on top of the file before
    ///   validation (e.g. `"pendulum.mass_kg": "0.03"`), so a twin or an experiment can differ
    ///   from the nominal robot with the same keys and the same checks.
    /// - Throws: `RobotDescriptionError` naming the file, each key and its problem.
    public static func load(from path: String, overrides: [String: String] = [:]) throws(RobotDescriptionError) -> RobotDescription {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RobotDescriptionError(file: path, "cannot read the file (does it exist?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RobotDescriptionError(file: path, "the file is not UTF-8 text")
        }
        return try parse(text, file: path, overrides: overrides)
    }

    /// Validate description text; `file` names it in errors and anchors the relative MJCF path.
    public static func parse(_ text: String, file: String, overrides: [String: String] = [:]) throws(RobotDescriptionError) -> RobotDescription {
        var root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw RobotDescriptionError(file: file, "the file is empty; see assets/furuta/robot.yaml for the keys it needs")
            }
            root = node
        } catch let error as RobotDescriptionError {
            throw error
        } catch {
            throw RobotDescriptionError(file: file, "not valid YAML: \(error)")
        }
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            try apply(override: value, at: key, to: &root, file: file)
        }
        let sink = ProblemSink()
        let parameters = RobotParametersSchema.read(MappingReader(root, path: "", sink: sink))
        let mjcf = parameters.mjcf
        if sink.problems.isEmpty { RobotParametersSchema.checkConsistency(parameters.robot, sink: sink) }
        if !sink.problems.isEmpty {
            throw RobotDescriptionError(file: file, problems: sink.problems)
        }
        let base = URL(fileURLWithPath: file).deletingLastPathComponent()
        let mjcfURL = mjcf.hasPrefix("/") ? URL(fileURLWithPath: mjcf) : base.appendingPathComponent(mjcf)
        return RobotDescription(parameters: parameters.robot, mjcfPath: mjcfURL.standardizedFileURL.path,
                                sourcePath: file)
    }

    private static func apply(override value: String, at keyPath: String, to root: inout Node,
                              file: String) throws(RobotDescriptionError) {
        let keys = keyPath.split(separator: ".").map(String.init)
        guard !keys.isEmpty else { throw RobotDescriptionError(file: file, key: keyPath, "empty override key") }
        func set(_ node: inout Node, _ remaining: ArraySlice<String>) -> Bool {
            guard case .mapping(var mapping) = node, let first = remaining.first else { return false }
            if remaining.count == 1 {
                guard mapping[first] != nil else { return false }
                mapping[first] = Node(value)
            } else {
                guard var child = mapping[first], set(&child, remaining.dropFirst()) else { return false }
                mapping[first] = child
            }
            node = .mapping(mapping)
            return true
        }
        if !set(&root, keys[...]) {
            throw RobotDescriptionError(file: file, key: keyPath, "override names no key of the description")
        }
    }
}
