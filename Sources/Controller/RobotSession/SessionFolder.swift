import Foundation

/// The session folder shared by `furuta-controller session` and `furuta learn` (docs/sessions.md):
///
///     DIR/session.json                    counters and the episode list (resume)
///     DIR/latest.policy                   the newest accepted policy, deployable with `run`
///     DIR/episodes/episode-000001.csv     one telemetry CSV per episode (docs/controller.md columns)
///     DIR/episodes/episode-000001.json    that episode's run summary
///     DIR/candidates/candidate-000001.policy  policies the learner publishes
///     DIR/incidents.log                   rejected policies, faults, budget stops
///
/// Every file is written to a temporary name and renamed, so a reader never sees half a file.
public struct SessionFolder: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    public var episodesDirectory: String { path + "/episodes" }
    public var candidatesDirectory: String { path + "/candidates" }
    public var latestPolicy: String { path + "/latest.policy" }
    public var statePath: String { path + "/session.json" }
    public var incidentsPath: String { path + "/incidents.log" }

    public func episodeLog(_ index: Int) -> String { episodesDirectory + "/episode-\(Self.number(index)).csv" }
    public func episodeSummary(_ index: Int) -> String { episodesDirectory + "/episode-\(Self.number(index)).json" }
    public func candidate(_ index: Int) -> String { candidatesDirectory + "/candidate-\(Self.number(index)).policy" }
    /// The exploration the learner asks for with candidate `index` (`ExplorationNoiseSequence` JSON).
    public func candidateExploration(_ index: Int) -> String { candidatesDirectory + "/candidate-\(Self.number(index)).exploration.json" }

    static func number(_ i: Int) -> String {
        let s = String(i)
        return String(repeating: "0", count: max(0, 6 - s.count)) + s
    }

    public func create() throws {
        for directory in [path, episodesDirectory, candidatesDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
    }

    /// Candidate policies by their number, oldest first.
    public func candidates() -> [(number: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: candidatesDirectory)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("candidate-"), name.hasSuffix(".policy"),
                  let n = Int(name.dropFirst("candidate-".count).dropLast(".policy".count)) else { return nil }
            return (n, candidatesDirectory + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    /// Writes `data` to `path` atomically (temporary file in the same folder, then rename).
    public static func writeAtomically(_ data: Data, to path: String) throws {
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Copies `source` to `destination` atomically.
    public static func copyAtomically(_ source: String, to destination: String) throws {
        try writeAtomically(try Data(contentsOf: URL(fileURLWithPath: source)), to: destination)
    }

    public func appendIncident(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        let text = "\(stamp) \(line)\n"
        if let handle = FileHandle(forWritingAtPath: incidentsPath) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            handle.closeFile()
        } else {
            FileManager.default.createFile(atPath: incidentsPath, contents: Data(text.utf8))
        }
    }
}
