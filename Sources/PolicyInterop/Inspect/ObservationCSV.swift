import Foundation

/// Rows of observations in, rows of actions out, as plain CSV: one row per line, values separated
/// by commas (spaces around them ignored). Lines that are empty, start with '#', or whose first
/// character is a letter (a header such as `theta,dtheta,…`) are skipped.
public enum ObservationCSV {
    /// Parse `text` into rows of `width` floats; throws naming the line that is wrong.
    public static func parse(_ text: String, width: Int) throws(PolicyImportError) -> [[Float]] {
        var rows: [[Float]] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let first = line.first, first != "#", !first.isLetter else { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == width else {
                throw .badArgument("line \(index + 1) has \(fields.count) values but the policy takes \(width) observations per row")
            }
            var row: [Float] = []
            row.reserveCapacity(width)
            for field in fields {
                let text = field.trimmingCharacters(in: .whitespaces)
                guard let value = Float(text) else {
                    throw .badArgument("line \(index + 1): '\(text)' is not a number")
                }
                row.append(value)
            }
            rows.append(row)
        }
        return rows
    }

    /// One line per row, values in Swift's shortest round-tripping form (a float32 read back
    /// from the text is the same float32).
    public static func format(_ rows: [[Float]], header: [String]? = nil) -> String {
        var out = ""
        if let header { out += header.joined(separator: ",") + "\n" }
        for row in rows { out += row.map { "\($0)" }.joined(separator: ",") + "\n" }
        return out
    }
}
