import Foundation
import MotorModel
import RegularFiles
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

    /// Read and validate a description.
    ///
    /// - Parameter overrides: `key.path → value` pairs applied on top of the file before
    ///   validation (e.g. `"pendulum.mass_kg": "0.03"`), so a twin or an experiment can differ
    ///   from the nominal robot with the same keys and the same checks.
    /// - Throws: `RobotDescriptionError` naming the file, each key and its problem.
    public static func load(from path: String, overrides: [String: String] = [:]) throws(RobotDescriptionError) -> RobotDescription {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: maximumFileBytes, what: "a robot description (robot.yaml)")
        } catch {
            var reason = error.reason
            if path == ProcessInfo.processInfo.environment["FURUTA_ROBOT"] {
                reason += " (it is $FURUTA_ROBOT; unset it for the bundled robot)"
            } else if path == defaultPath, !FileManager.default.fileExists(atPath: path) {
                reason += "; the default robot is searched in " + searchPaths.joined(separator: ", ")
                    + ": set FURUTA_ROBOT or give --robot"
            }
            throw RobotDescriptionError(file: path, reason)
        }
        guard let text = String(bytes: bytes, encoding: .utf8) else {
            throw RobotDescriptionError(file: path, "the file is not UTF-8 text")
        }
        return try parse(text, file: path, overrides: overrides)
    }

    /// A robot description is a page of YAML; anything larger is not one.
    public static let maximumFileBytes = 1 << 20

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
        let mjcfPath = mjcfURL.standardizedFileURL.path
        if let problem = mjcfProblem(mjcfPath) { throw RobotDescriptionError(file: file, key: "mjcf", problem) }
        return RobotDescription(parameters: parameters.robot, mjcfPath: mjcfPath, sourcePath: file)
    }

    /// Why the MJCF file named by the `mjcf` key cannot be the model: missing, not a regular
    /// file, too large, or not XML. (MuJoCo's parser checks the rest when the model loads.)
    static func mjcfProblem(_ path: String) -> String? {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: maximumMJCFBytes, what: "an MJCF model (.xml)")
        } catch {
            return "\(error.description) (the path is relative to the description)"
        }
        let start = bytes.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        guard start.first == UInt8(ascii: "<") else {
            return "\(path) is not XML (it does not start with '<'); give the MJCF model of the robot"
        }
        return nil
    }

    /// An MJCF model of this robot is a few kB; meshes live in separate files.
    public static let maximumMJCFBytes = 16 << 20

    private static func apply(override value: String, at keyPath: String, to root: inout Node,
                              file: String) throws(RobotDescriptionError) {
        let keys = keyPath.split(separator: ".").map(String.init)
        guard !keys.isEmpty else { throw RobotDescriptionError(file: file, key: keyPath, "empty override key") }
        // On failure: the keys that do exist where the path stopped matching, for the message.
        func set(_ node: inout Node, _ remaining: ArraySlice<String>, prefix: String) -> (stoppedAt: String, known: [String])? {
            guard case .mapping(var mapping) = node, let first = remaining.first else {
                return (prefix, [])
            }
            let here = prefix.isEmpty ? first : "\(prefix).\(first)"
            guard var child = mapping[first] else {
                let known = mapping.keys.compactMap(\.string).map { prefix.isEmpty ? $0 : "\(prefix).\($0)" }
                return (here, known.sorted())
            }
            if remaining.count == 1 {
                if case .mapping = child {
                    let known = child.mapping?.keys.compactMap(\.string).map { "\(here).\($0)" } ?? []
                    return (here, known.sorted())
                }
                mapping[first] = Node(value)
            } else {
                if let failure = set(&child, remaining.dropFirst(), prefix: here) { return failure }
                mapping[first] = child
            }
            node = .mapping(mapping)
            return nil
        }
        if let failure = set(&root, keys[...], prefix: "") {
            let suggestion = KeySuggestion.nearest(to: keyPath, among: failure.known).map { "did you mean '\($0)'? " } ?? ""
            let known = failure.known.isEmpty ? "" : "keys there: " + failure.known.joined(separator: ", ")
            throw RobotDescriptionError(file: file, key: keyPath,
                                        "override names no value of the description; \(suggestion)\(known)")
        }
    }
}
