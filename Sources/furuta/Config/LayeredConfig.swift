import Foundation
import RegularFiles
import RobotDescription
import Yams

/// A typed configuration built in three layers: the type's defaults, then a YAML file, then
/// `key.path=value` overrides from the command line. Every key in the file or an override must
/// exist in the defaults, so a typo is an error naming the key (and the nearest known one)
/// instead of a silent no-op; a `CheckedConfiguration`'s rules run on the result, so a value out
/// of range is an error before any work starts.
enum LayeredConfig {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A configuration file is a page of YAML; anything larger is not one.
    static let maximumFileBytes = 1 << 20

    static func load<T: Codable>(defaults: T, file: String?, overrides: [String]) throws -> T {
        guard var merged = try Yams.compose(yaml: YAMLEncoder().encode(defaults)) else {
            throw Failure(description: "internal error: the defaults did not encode")
        }
        if let file {
            let text: String
            do {
                let bytes = try RegularFile.read(file, limit: maximumFileBytes, what: "a YAML configuration file")
                guard let decoded = String(bytes: bytes, encoding: .utf8) else {
                    throw Failure(description: "\(file): not UTF-8 text")
                }
                text = decoded
            } catch let error as RegularFileError {
                throw Failure(description: error.description)
            }
            let node: Node?
            do { node = try Yams.compose(yaml: text) } catch {
                throw Failure(description: "\(file): not valid YAML: \(error)")
            }
            if let node { try merge(node, into: &merged, path: "", source: file) }
        }
        for override in overrides {
            guard let equals = override.firstIndex(of: "="), equals != override.startIndex else {
                throw Failure(description: "override '\(override)' is not of the form key=value, e.g. ppo.learningRate=3e-4")
            }
            let key = String(override[..<equals]), text = String(override[override.index(after: equals)...])
            let value = (try? Yams.compose(yaml: text)).flatMap { $0 } ?? Node(text)
            try set(value, at: key.split(separator: ".").map(String.init)[...], in: &merged, path: "",
                    source: "command line")
        }
        let result: T
        do {
            result = try YAMLDecoder().decode(T.self, from: merged)
        } catch let error as DecodingError {
            throw Failure(description: describe(error, in: merged))
        } catch {
            throw Failure(description: "configuration: \(error)")
        }
        if let checked = result as? any CheckedConfiguration {
            let violations = checked.ruleViolations
            if !violations.isEmpty {
                throw Failure(description: "invalid configuration (\(violations.count) problem\(violations.count == 1 ? "" : "s")):\n"
                    + violations.map { "  - \($0)" }.joined(separator: "\n"))
            }
        }
        return result
    }

    /// The configuration as YAML, for `--print-config` and for the run directory. Float fields
    /// are written as their shortest decimal (`0.99`, not the widened `9.90000009536743e-1`).
    static func yaml<T: Encodable>(_ value: T) throws -> String {
        let text = try YAMLEncoder().encode(value)
        guard let node = try Yams.compose(yaml: text) else { return text }
        return try Yams.serialize(node: ShortestFloats.rewrite(node))
    }

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
            throw Failure(description: "\(source): \(path) is a value and has no sub-keys")
        }
        let keyPath = path.isEmpty ? key : "\(path).\(key)"
        guard var existing = mapping[key] else {
            let known = mapping.keys.compactMap(\.string).sorted()
            let suggestion = KeySuggestion.nearest(to: key, among: known).map {
                "did you mean '\(path.isEmpty ? $0 : "\(path).\($0)")'? "
            } ?? ""
            throw Failure(description: "\(source): unknown key '\(keyPath)' (\(suggestion)known here: \(known.joined(separator: ", ")))")
        }
        if keys.count > 1 {
            try set(value, at: keys.dropFirst(), in: &existing, path: keyPath, source: source)
        } else if case .mapping = existing, case .mapping = value {
            try merge(value, into: &existing, path: keyPath, source: source)
        } else if case .mapping(let children) = existing {
            let known = children.keys.compactMap(\.string).sorted().map { "\(keyPath).\($0)" }
            throw Failure(description: "\(source): '\(keyPath)' is a group of keys, not a value (keys: \(known.joined(separator: ", ")))")
        } else {
            existing = value
        }
        mapping[key] = existing
        target = .mapping(mapping)
    }

    /// A decoding error in the user's terms: the key, what was expected and what was found
    /// (instead of "Expected to decode Float but found Scalar instead").
    private static func describe(_ error: DecodingError, in root: Node) -> String {
        func keyPath(_ path: [any CodingKey]) -> String {
            path.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                return text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)"
            }
        }
        func found(_ path: [any CodingKey]) -> String {
            var node: Node? = root
            for key in path {
                if let index = key.intValue, case .sequence(let items)? = node {
                    node = index < items.count ? items[index] : nil
                } else {
                    node = node?.mapping?[key.stringValue]
                }
            }
            switch node {
            case .scalar(let s)?: return s.string.isEmpty ? "nothing" : "'\(s.string)'"
            case .mapping?: return "a mapping"
            case .sequence(let items)?: return "[" + items.map { $0.string ?? "…" }.joined(separator: ", ") + "]"
            default: return "nothing"
            }
        }
        func expected(_ type: Any.Type) -> String {
            switch type {
            case is Float.Type, is Double.Type: return "a number"
            case is Int.Type, is UInt64.Type, is Int32.Type, is UInt32.Type: return "a whole number"
            case is Bool.Type: return "true or false"
            case is String.Type: return "text"
            default:
                let name = String(describing: type)
                if name.hasPrefix("Array") || name.hasPrefix("ClosedRange") { return "a list such as [1, 3]" }
                if name.hasPrefix("Dictionary") { return "a mapping of keys" }
                // Yams asks for a `Node.Scalar` when a single value was given a list or mapping.
                if name.hasSuffix("Scalar") { return "a single value" }
                return name
            }
        }
        switch error {
        case let .typeMismatch(type, context):
            let text = found(context.codingPath)
            var hint = ""
            if expected(type) == "a whole number", let value = Double(text.trimmingCharacters(in: ["'"])), value.isFinite,
               value == value.rounded() {
                hint = "; write whole numbers in digits (\(NumberRange.format(value)) if you meant that)"
            }
            return "\(keyPath(context.codingPath)): expected \(expected(type)), found \(text)\(hint)"
        case let .valueNotFound(type, context):
            return "\(keyPath(context.codingPath)): expected \(expected(type)), found nothing"
        case let .dataCorrupted(context):
            let detail = context.debugDescription
            let key = keyPath(context.codingPath)
            if detail.contains("ClosedRange") || detail.contains("lowerBound") || detail.contains("upperBound") {
                return "\(key): a range [lower, upper] needs lower ≤ upper, found \(found(context.codingPath))"
            }
            return "\(key): \(detail.isEmpty ? "invalid value" : detail), found \(found(context.codingPath))"
        case let .keyNotFound(key, context):
            return "\(keyPath(context.codingPath + [key])): missing key"
        @unknown default:
            return "configuration: \(error)"
        }
    }
}
