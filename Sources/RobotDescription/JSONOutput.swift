import Foundation

/// The one JSON style of everything `furuta` and `furuta-controller` print or write for people
/// and scripts (`--json`, `--summary`, summary.json): pretty-printed with sorted keys, keys in
/// snake_case (`time_to_success_s`), slashes unescaped, and NaN or ±∞ written as `null` — JSON
/// has no such numbers, and the string "nan" that used to appear broke every numeric reader.
/// Lives here because every module that writes JSON already depends on RobotDescription.
/// (Training checkpoints are internal state, not output: they keep their exact encoding.)
public enum JSONOutput {
    /// `value` as UTF-8 JSON in the project's style.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Non-finite numbers go out as a marker string no real value contains, then the quoted
        // marker becomes `null`.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: marker, negativeInfinity: marker, nan: marker)
        let data = try encoder.encode(value)
        let text = String(decoding: data, as: UTF8.self)
        guard text.contains(marker) else { return data }
        return Data(text.replacingOccurrences(of: "\"\(marker)\"", with: "null").utf8)
    }

    /// `value` as JSON text in the project's style.
    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encode(value), as: UTF8.self)
    }

    /// Plain ASCII, so the encoder writes it verbatim (control characters would be escaped).
    private static let marker = "furuta-non-finite-3f9c2e71"
}
