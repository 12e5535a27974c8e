import Foundation

/// Writes a tuned robot.yaml: the original text line for line — layout, order and comments
/// kept — with each fitted value replaced and marked in its comment:
///
///     mass_kg: 0.01946              # sysid: fitted, was 0.024 (±0.00012) | <original comment>
///
/// and a header line per description the recordings were captured with,
///
///     # furuta sysid: tuned from robot identity 0x0123456789abcdef
///
/// so `furuta sysid validate` (and a later fit) accepts those recordings for the tuned file.
public enum TunedDescription {
    public struct Change: Sendable {
        public var key: String
        public var value: Double
        public var previous: Double
        public var uncertainty: Double?
        public init(key: String, value: Double, previous: Double, uncertainty: Double?) {
            self.key = key
            self.value = value
            self.previous = previous
            self.uncertainty = uncertainty
        }
    }

    static let identityMarker = "# furuta sysid: tuned from robot identity "

    /// Identities named by `identityMarker` lines.
    public static func baseIdentities(in text: String) -> [UInt64] {
        text.split(separator: "\n").compactMap { line in
            guard line.hasPrefix(identityMarker) else { return nil }
            let hex = line.dropFirst(identityMarker.count).prefix { $0 != " " }
            return hex.hasPrefix("0x") ? UInt64(hex.dropFirst(2), radix: 16) : nil
        }
    }

    /// Six significant digits, enough for any fitted value's uncertainty.
    public static func format(_ x: Double) -> String { String(format: "%.6g", x) }

    /// The tuned text. Throws the keys it could not find (the layout is not robot.yaml's).
    /// - Parameter mjcfPath: when given, the top-level `mjcf:` value becomes this (absolute) path,
    ///   so the tuned file finds the geometry wherever it is written.
    public static func write(original text: String, changes: [Change], baseIdentities: [UInt64], note: String,
                             mjcfPath: String? = nil) throws(SystemIdentificationError) -> String {
        var lines = text.components(separatedBy: "\n")
        var stack: [(indent: Int, key: String)] = []
        var pending = Dictionary(uniqueKeysWithValues: changes.map { ($0.key, $0) })
        for index in lines.indices {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let colon = trimmed.firstIndex(of: ":") else { continue }
            let indent = line.count - trimmed.count
            let key = String(trimmed[..<colon])
            while let last = stack.last, last.indent >= indent { stack.removeLast() }
            let path = (stack.map(\.key) + [key]).joined(separator: ".")
            let rest = trimmed[trimmed.index(after: colon)...]
            let valuePart = rest.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
            if valuePart.trimmingCharacters(in: .whitespaces).isEmpty {
                stack.append((indent, key)) // a mapping
                continue
            }
            if path == "mjcf", let mjcfPath {
                lines[index] = "mjcf: \(mjcfPath)".padding(toLength: max(mjcfPath.count + 8, 33), withPad: " ", startingAt: 0)
                    + "# sysid: the original's MJCF, absolute"
                continue
            }
            guard let change = pending.removeValue(forKey: path) else { continue }
            let comment = rest.contains("#") ? String(rest[rest.firstIndex(of: "#")!...].dropFirst()).trimmingCharacters(in: .whitespaces) : ""
            let head = String(repeating: " ", count: indent) + "\(key): \(format(change.value))"
            let mark = "# sysid: fitted, was \(format(change.previous))" + (change.uncertainty.map { " (±\(format($0)))" } ?? "")
                + (comment.isEmpty ? "" : " | \(comment)")
            lines[index] = head.padding(toLength: max(head.count + 2, 33), withPad: " ", startingAt: 0) + mark
        }
        if let missing = pending.keys.sorted().first {
            throw .cannotWrite(path: "the tuned description", reason: "key \(missing) not found in the original's layout")
        }
        let known = Set(TunedDescription.baseIdentities(in: text))
        let header = ["# furuta sysid: \(note)"] + baseIdentities.filter { !known.contains($0) }.map {
            identityMarker + "0x" + String(repeating: "0", count: 16 - String($0, radix: 16).count) + String($0, radix: 16)
        }
        return (header + lines).joined(separator: "\n")
    }
}
