import Foundation

/// A CSV file with a header row, read into named columns. Numbers parse as Double; empty or
/// non-numeric cells become NaN in `numbers(_:)` and stay as text in `texts(_:)`.
public struct CSVTable: Sendable {
    public let columns: [String]
    private let cells: [[Substring]]
    public var rowCount: Int { cells.count }

    public init(text: String, source: String = "CSV") throws(PlotError) {
        var lines = text.split(whereSeparator: \.isNewline)
        guard !lines.isEmpty else { throw .unreadable(source, "it is empty") }
        columns = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    public init(contentsOf url: URL) throws(PlotError) {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw .unreadable(url.path, error.localizedDescription)
        }
        try self.init(text: text, source: url.path)
    }

    public func has(_ column: String) -> Bool { columns.contains(column) }

    public func texts(_ column: String) -> [Substring] {
        guard let c = columns.firstIndex(of: column) else { return [] }
        return cells.map { c < $0.count ? $0[c] : "" }
    }

    public func numbers(_ column: String) -> [Double] {
        texts(column).map { Double($0) ?? .nan }
    }

    /// The column, or a typed error naming the file and the missing column.
    public func require(_ column: String, in source: String) throws(PlotError) -> [Double] {
        guard has(column) else { throw .missingColumn(source, column) }
        return numbers(column)
    }
}
