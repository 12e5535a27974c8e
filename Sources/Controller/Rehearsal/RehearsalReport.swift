import Foundation
import RobotDescription

/// The rehearsal record (written beside the policy as FILE.rehearsal.json, and printed with
/// `--json`) and its table of pass rates per condition and per latency band.
public struct RehearsalReport: Sendable, Codable, Equatable {
    public struct Rate: Sendable, Codable, Equatable {
        public var episodes = 0
        public var passed = 0
        public var passRate: Double { episodes == 0 ? 0 : Double(passed) / Double(episodes) }

        enum CodingKeys: String, CodingKey { case episodes, passed, passRate = "pass_rate" }
        public init() {}
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            episodes = try c.decode(Int.self, forKey: .episodes)
            passed = try c.decode(Int.self, forKey: .passed)
        }
        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(episodes, forKey: .episodes)
            try c.encode(passed, forKey: .passed)
            try c.encode(passRate, forKey: .passRate)
        }
    }

    public var policy: String
    public var trainingConfig: String?
    public var episodes: Int
    public var passed: Int
    public var passRate: Double
    public var threshold: Double
    public var meetsThreshold: Bool
    /// Background CPU load: busy threads during every episode (0: none).
    public var loadThreads: Int
    public var loadNice: Int32 = 10
    public var latencyRangeMs: [Double]
    public var trainedLatencyMs: [Double]?
    public var conditions: [String: Rate]
    public var latencyBandsMs: [String: Rate]
    public var results: [RehearsalEpisodeResult]
    public var workDirectory: String
    public var wallSeconds: Double

    public init(policy: String, trainingConfig: String?, threshold: Double, loadThreads: Int,
                latencyRange: ClosedRange<Double>, trainedLatencyMs: [Double]?, results: [RehearsalEpisodeResult],
                workDirectory: String, wallSeconds: Double) {
        self.policy = policy
        self.trainingConfig = trainingConfig
        self.threshold = threshold
        self.loadThreads = loadThreads
        latencyRangeMs = [latencyRange.lowerBound * 1000, latencyRange.upperBound * 1000]
        self.trainedLatencyMs = trainedLatencyMs
        self.results = results
        self.workDirectory = workDirectory
        self.wallSeconds = wallSeconds
        episodes = results.count
        passed = results.filter(\.passed).count
        passRate = episodes == 0 ? 0 : Double(passed) / Double(episodes)
        meetsThreshold = passRate >= threshold
        var byCondition: [String: Rate] = [:]
        var byBand: [String: Rate] = [:]
        for result in results {
            byCondition[result.condition.rawValue, default: Rate()].episodes += 1
            if result.passed { byCondition[result.condition.rawValue, default: Rate()].passed += 1 }
            let band = Self.band(ms: result.latencyMs)
            byBand[band, default: Rate()].episodes += 1
            if result.passed { byBand[band, default: Rate()].passed += 1 }
        }
        conditions = byCondition
        latencyBandsMs = byBand
    }

    /// 2 ms bands: "0-2", "2-4", …
    static func band(ms: Double) -> String {
        let low = Int(max(0, ms) / 2) * 2
        return "\(low)-\(low + 2)"
    }

    /// The table printed at the end.
    public var table: String {
        func row(_ name: String, _ rate: Rate) -> String {
            name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(format: "%8d %8d %9.1f %%", rate.episodes, rate.passed, rate.passRate * 100)
        }
        var lines = ["condition      episodes   passed  pass rate"]
        for condition in RehearsalCondition.allCases {
            if let rate = conditions[condition.rawValue] { lines.append(row(condition.rawValue, rate)) }
        }
        lines.append("latency (ms)")
        for band in latencyBandsMs.keys.sorted(by: { Int($0.split(separator: "-")[0])! < Int($1.split(separator: "-")[0])! }) {
            lines.append(row("  " + band, latencyBandsMs[band]!))
        }
        var all = Rate()
        all.episodes = episodes
        all.passed = passed
        lines.append(row("all", all) + (meetsThreshold ? "" : String(format: "   below the %.0f %% threshold", threshold * 100)))
        for failure in results where !failure.passed {
            lines.append("  failed: episode \(failure.index) (\(failure.condition.rawValue), "
                         + String(format: "%.1f ms): ", failure.latencyMs) + failure.reason)
        }
        return lines.joined(separator: "\n")
    }

    public func json() throws -> Data {
        try JSONOutput.encode(self)
    }
}
