import Yams

/// Yams writes a `Float` through `%.17g` of its widened `Double`, so `gamma: 0.99` came out as
/// `9.90000009536743e-1`. This rewrites every floating-point scalar of an encoded document as
/// the shortest decimal that reads back as the same value: a `Float` field's value when the
/// number is a widened `Float` (to 14 significant digits), the `Double`'s shortest otherwise.
enum ShortestFloats {
    static func rewrite(_ node: Node) -> Node {
        switch node {
        case .scalar(let scalar):
            guard let shortest = shortest(scalar.string) else { return node }
            return Node(shortest, scalar.tag, scalar.style)
        case .mapping(let mapping):
            return Node(mapping.map { ($0.key, rewrite($0.value)) }, mapping.tag, mapping.style)
        case .sequence(let sequence):
            return Node(sequence.map(rewrite), sequence.tag, sequence.style)
        case .alias:
            return node
        }
    }

    /// The shortest text for a float scalar, nil for anything else (integers, text, .inf).
    static func shortest(_ text: String) -> String? {
        guard text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let value = Double(text), value.isFinite else {
            return nil
        }
        let asFloat = Float(value)
        let isWidenedFloat = asFloat.isFinite && abs(Double(asFloat) - value) <= abs(value) * 1e-14
        var result = isWidenedFloat ? "\(asFloat)" : "\(value)"
        // YAML 1.1 floats need a dot: 1e-05 → 1.0e-05.
        if !result.contains("."), let e = result.firstIndex(of: "e") { result.insert(contentsOf: ".0", at: e) }
        return result
    }
}
