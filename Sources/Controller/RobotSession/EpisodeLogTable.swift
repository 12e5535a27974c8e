import Foundation

/// An episode's telemetry CSV (`TelemetryCSV`, columns in docs/controller.md) read and split once
/// for every analysis the session runs on it between episodes (wear, the pendulum's zero, the
/// reset's duration, the success verdict, the winding's heating), instead of each reading the
/// file and parsing the header again.
public struct EpisodeLogTable: Sendable {
    /// The header's fields, in order.
    public let header: [String]
    /// Every non-empty line after the header split on commas, empty fields kept; a line torn by a
    /// crash has fewer fields than the header (the analyses decide whether to skip it).
    public let rows: [[Substring]]

    /// nil when the file cannot be read or has no header.
    public init?(csvPath: String) {
        guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else { return nil }
        self.init(text: text)
    }

    /// nil when the text has no header.
    public init?(text: String) {
        var lines = text.split(separator: "\n")
        guard !lines.isEmpty else { return nil }
        header = lines.removeFirst().split(separator: ",").map(String.init)
        rows = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    /// The index of the column `name`, nil when the log has none.
    public func column(_ name: String) -> Int? { header.firstIndex(of: name) }

    /// The row has every column of the header (not torn).
    public func isComplete(_ row: [Substring]) -> Bool { row.count == header.count }
}
