import Foundation
import Yams

/// Reads typed values out of one YAML mapping while recording every problem (missing key, wrong
/// type, out of range, unknown key) with its full key path, so that a user sees all of them at
/// once instead of fixing one per run.
final class MappingReader {
    private let node: Node.Mapping?
    private let path: String
    private let sink: ProblemSink
    private var consumed: Set<String> = []

    init(_ node: Node?, path: String, sink: ProblemSink) {
        self.path = path
        self.sink = sink
        switch node {
        case .mapping(let mapping)?:
            self.node = mapping
        case nil:
            self.node = nil
        case let other?:
            self.node = nil
            sink.report(path, "expected a mapping of keys, found \(describe(other))")
        }
    }

    private func keyPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func value(_ key: String, required: Bool = true) -> Node? {
        consumed.insert(key)
        guard let node else { return nil }
        guard let found = node[key] else {
            if required { sink.report(keyPath(key), "missing key") }
            return nil
        }
        return found
    }

    /// A nested mapping; an absent one reports "missing key" and yields a reader of nothing.
    func mapping(_ key: String) -> MappingReader {
        MappingReader(value(key), path: keyPath(key), sink: sink)
    }

    func string(_ key: String) -> String {
        guard let node = value(key) else { return "" }
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else {
            sink.report(keyPath(key), "expected text, found \(describe(node))")
            return ""
        }
        return scalar.string
    }

    /// A finite number in `range`.
    func number(_ key: String, _ range: NumberRange) -> Double {
        guard let node = value(key) else { return .nan }
        guard case .scalar(let scalar) = node, let number = Double(scalar.string.trimmingCharacters(in: .whitespaces)),
              number.isFinite else {
            sink.report(keyPath(key), "expected a number, found \(describe(node))")
            return .nan
        }
        if let problem = range.problem(with: number) { sink.report(keyPath(key), problem) }
        return number
    }

    func integer(_ key: String, _ range: NumberRange) -> Int {
        guard let node = value(key) else { return 0 }
        guard case .scalar(let scalar) = node, let number = Int(scalar.string.trimmingCharacters(in: .whitespaces)) else {
            sink.report(keyPath(key), "expected a whole number, found \(describe(node))")
            return 0
        }
        if let problem = range.problem(with: Double(number)) { sink.report(keyPath(key), problem) }
        return number
    }

    /// Report keys present in the file that nothing asked for: typos must not pass silently.
    func rejectUnknownKeys() {
        guard let node else { return }
        for (keyNode, _) in node {
            let key = keyNode.string ?? "?"
            if !consumed.contains(key) {
                let known = consumed.sorted()
                let hint = KeySuggestion.nearest(to: key, among: known).map { "did you mean '\($0)'? " } ?? ""
                sink.report(keyPath(key), "unknown key (\(hint)known keys here: \(known.joined(separator: ", ")))")
            }
        }
    }
}

/// Collects problems in the order they were found.
final class ProblemSink {
    private(set) var problems: [RobotDescriptionError.Problem] = []
    func report(_ key: String, _ message: String) {
        problems.append(.init(key: key, message: message))
    }
}

private func describe(_ node: Node) -> String {
    switch node {
    case .scalar(let s): return s.string.isEmpty ? "nothing" : "'\(s.string)'"
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    }
}
