import Foundation

/// A robot training session folder (`furuta-controller session --session DIR`): per episode
/// its return, its longest upright stretch and success over the session's robot time, with a
/// labelled line wherever a new policy took over.
public enum SessionFigure {
    public struct Episode: Sendable {
        public var index: Int
        /// Robot time at the episode's end: the running time of it and every episode before, s.
        public var robotTimeS: Double
        /// Σ reward of the episode as the learner rewards it (nil: its log could not be read).
        public var episodeReturn: Double?
        public var longestUprightS: Double
        public var success: Bool
        public var policy: String
        public init(index: Int, robotTimeS: Double, episodeReturn: Double?, longestUprightS: Double, success: Bool, policy: String) {
            self.index = index
            self.robotTimeS = robotTimeS
            self.episodeReturn = episodeReturn
            self.longestUprightS = longestUprightS
            self.success = success
            self.policy = policy
        }
    }

    /// At most this many policy changes are labelled (a long session swaps at every episode).
    static let labelledChanges = 12

    public static func make(episodes: [Episode], successUprightS: Double?, source: String) throws(PlotError) -> Figure {
        guard !episodes.isEmpty else { throw .noData(source + "/session.json") }
        let x = episodes.map(\.robotTimeS)
        var changes: [Panel.Mark] = []
        var previous: String?
        for e in episodes where e.policy != previous {
            previous = e.policy
            changes.append(.event(x: e.robotTimeS, label: shortName(e.policy), color: .gray))
        }
        if changes.count > labelledChanges {
            let stride = Int((Double(changes.count) / Double(labelledChanges)).rounded(.up))
            changes = changes.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        let returns = episodes.map { $0.episodeReturn ?? .nan }
        let returnPanel = Panel(title: "Episode return (the learner's reward)", xLabel: "robot time (s)", yLabel: "return",
                                marks: changes + [.line(name: "return", color: .blue, x: x, y: returns, width: 2),
                                                  .points(name: nil, color: .blue, x: x, y: returns)])
        let succeeded = episodes.filter(\.success), failed = episodes.filter { !$0.success }
        var uprightMarks = changes
        if let successUprightS { uprightMarks.append(.level(y: successUprightS, label: String(format: "success: %.0f s upright", successUprightS), color: .gray)) }
        uprightMarks += [.line(name: nil, color: .gray, x: x, y: episodes.map(\.longestUprightS), width: 1),
                         .points(name: "success", color: .green, x: succeeded.map(\.robotTimeS), y: succeeded.map(\.longestUprightS)),
                         .points(name: "no success", color: .red, x: failed.map(\.robotTimeS), y: failed.map(\.longestUprightS))]
        let uprightPanel = Panel(title: "Longest upright stretch per episode", xLabel: "robot time (s)", yLabel: "upright (s)",
                                 marks: uprightMarks)
        // Success over the last (up to) five episodes, so a run of successes shows as a plateau.
        let window = 5
        let rate = episodes.indices.map { i in
            let recent = episodes[max(0, i - window + 1)...i]
            return 100 * Double(recent.filter(\.success).count) / Double(recent.count)
        }
        let ratePanel = Panel(title: "Success over the last \(window) episodes", xLabel: "robot time (s)", yLabel: "success (%)",
                              marks: changes + [.line(name: "success rate", color: .green, x: x, y: rate, width: 2)], yDomain: -4...104)
        let successes = succeeded.count
        let subtitle = "\(source) — \(episodes.count) episodes, \(successes) successful, "
            + String(format: "%.0f s of robot time", x.last ?? 0) + ", \(Set(episodes.map(\.policy)).count) policies"
        return Figure(title: "Robot training session", subtitle: subtitle, panels: [returnPanel, uprightPanel, ratePanel])
    }

    /// `candidate-000012.policy` → `policy 12`.
    static func shortName(_ policy: String) -> String {
        guard policy.hasPrefix("candidate-"), let n = Int(policy.dropFirst("candidate-".count).prefix { $0.isNumber }) else {
            return policy
        }
        return "policy \(n)"
    }
}
