import Foundation
import Yams

/// A typed configuration built in three layers: the type's defaults, then a YAML file, then
/// `key.path=value` overrides from the command line. Every key in the file or an override must
/// exist in the defaults, so a typo is an error naming the key instead of a silent no-op.
enum LayeredConfig {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func load<T: Codable>(defaults: T, file: String?, overrides: [String]) throws -> T {
        guard var merged = try Yams.compose(yaml: YAMLEncoder().encode(defaults)) else {
            throw Failure(description: "internal error: the defaults did not encode")
        }
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw Failure(description: "\(file): cannot read the file (does it exist?)")
            }
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch {
                throw Failure(description: "\(file): not valid YAML: \(error)")
            }
            if let node { try merge(node, into: &merged, path: "", source: file) }
        }
        for override in overrides {
            guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
                throw Failure(description: "override '\(override)' is not of the form key=value")
            }
            let key = String(override[..<equals]), text = String(override[override.index(after: equals)...])
            let value = (try? Yams.compose(yaml: text)).flatMap { $0 } ?? Node(text)
            try set(value, at: key.split(separator: ".").map(String.init)[...], in: &merged, path: "",
                    source: "command line")
        }
        do {
            return try YAMLDecoder().decode(T.self, from: merged)
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.dataCorrupted(context) {
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw Failure(description: "\(key): \(context.debugDescription)")
        } catch {
            throw Failure(description: "configuration: \(error)")
        }
    }

    /// The configuration as YAML, for `--print-config` and for the run directory.
    static func yaml<T: Encodable>(_ value: T) throws -> String { try YAMLEncoder().encode(value) }

    private static func merge(_ source: Node, into target: inout Node, path: String, source file: String) throws {
        guard case .mapping(let sourceMapping) = source else {
            throw Failure(description: "\(file): \(path.isEmpty ? "the file" : path) must be a mapping of keys")
        }
        for (keyNode, value) in sourceMapping {
            let key = keyNode.string ?? ""
            try set(value, at: [key][...], in: &target, path: path, source: file)
        }
    }

    private static func set(_ value: Node, at keys: ArraySlice<String>, in target: inout Node,
                            path: String, source: String) throws {
        guard let key = keys.first, case .mapping(var mapping) = target else {
            throw Failure(description: "\(source): \(path) has no sub-keys")
        }
        let keyPath = path.isEmpty ? key : "\(path).\(key)"
        guard var existing = mapping[key] else {
            let known = mapping.keys.compactMap(\.string).sorted().joined(separator: ", ")
            throw Failure(description: "\(source): unknown key '\(keyPath)' (known here: \(known))")
        }
        if keys.count > 1 {
            try set(value, at: keys.dropFirst(), in: &existing, path: keyPath, source: source)
        } else if case .mapping = existing, case .mapping = value {
            try merge(value, into: &existing, path: keyPath, source: source)
        } else {
            existing = value
        }
        mapping[key] = existing
        target = .mapping(mapping)
    }
}
