import Foundation
import MotorModel

/// What `session.json` holds: enough to resume a session after Ctrl-C, a crash or a power cut
/// (the episodes themselves are files; an episode cut short is not in `episodes` and is redone).
public struct SessionState: Sendable, Codable, Equatable {
    public struct Episode: Sendable, Codable, Equatable {
        public var index: Int
        /// The policy that ran it: file name and the CRC-32 of its bytes.
        public var policy: String
        public var policyChecksum: UInt32
        public var outcome: String
        public var fault: String?
        /// The longest stretch the pendulum stayed upright, s.
        public var longestUprightS: Double
        public var runningS: Double
        /// The episode met the session's criterion (`RobotTrainingSession.Settings.criterion`,
        /// judged from its log as `furuta eval --log` judges it).
        public var success: Bool
        /// Motor wear of the episode: Σ|Δduty| and direction reversals of the commanded duty.
        public var dutyVariation: Double
        public var reversals: Int
        /// Set when the reset before it did not find the pendulum hanging (`ResetCheck`).
        public var resetProblem: String?
        /// How long the reset before it took (homing's start to the policy's first step), s.
        public var resetS: Double?
        /// The winding's estimated rise over ambient at the episode's end and its I²t, K and A²·s.
        public var windingRiseK: Double? = nil
        public var currentSquaredSeconds: Double? = nil
        /// The exploration it ran with (the learner's request within the controller's maxima).
        public var explorationSigma: Double? = nil
        public var explorationCorrelation: Double? = nil
        /// How long the pendulum had been upright at the end of the judged stretch, s.
        public var finalUprightS: Double? = nil
    }

    public var episodes: [Episode] = []
    /// Names of the policies used, in order of first use.
    public var policiesUsed: [String] = []
    /// The candidate numbers already judged (accepted or rejected).
    public var lastCandidateJudged = -1
    public var rejectedPolicies: [String] = []
    public var currentPolicy: String?
    /// The exploration the current policy's learner asked for (nil: the controller's own).
    public var learnerExploration: ExplorationNoiseSequence?
    /// Raw pendulum counts of α = 0 in the first episode (`ResetCheck`).
    public var pendulumZeroReference: Int64?
    /// The winding-temperature estimate after the last episode, and when it ended (cooling since).
    public var winding: WindingTemperature?
    public var windingAt: Date?

    public init() {}

    public var successes: Int { episodes.filter(\.success).count }
    public var robotTimeSeconds: Double { episodes.reduce(0) { $0 + $1.runningS } }
    public var wear: Double { episodes.reduce(0) { $0 + $1.dutyVariation } }
    /// The episodes' reset times, sorted, s.
    public var resetTimes: [Double] { episodes.compactMap(\.resetS).sorted() }

    public static func load(_ path: String) throws -> SessionState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(SessionState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        try SessionFolder.writeAtomically(try encoder.encode(self), to: path)
    }
}
