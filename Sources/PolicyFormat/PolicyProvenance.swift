/// Where a policy came from: written by the trainer (or an importer), shown by `furuta policy
/// show`, never interpreted by the controller. Stored in format version 2 as key/value text pairs,
/// so a reader keeps keys it does not know (`other`) and a writer adds keys without a new version.
public struct PolicyProvenance: Sendable, Equatable {
    /// e.g. "ppo", "sac", "import:stable-baselines3".
    public var algorithm: String?
    /// Hash of the resolved training configuration (hex).
    public var configHash: String?
    public var seed: UInt64?
    /// Environment steps the policy was trained on.
    public var environmentSteps: Int?
    /// `git describe` of the trainer's source, when known.
    public var trainerCommit: String?
    /// ISO-8601 UTC time the file was written.
    public var createdAt: String?
    /// Keys this build does not name, kept as read.
    public var other: [String: String]

    public init(algorithm: String? = nil, configHash: String? = nil, seed: UInt64? = nil,
                environmentSteps: Int? = nil, trainerCommit: String? = nil, createdAt: String? = nil,
                other: [String: String] = [:]) {
        self.algorithm = algorithm
        self.configHash = configHash
        self.seed = seed
        self.environmentSteps = environmentSteps
        self.trainerCommit = trainerCommit
        self.createdAt = createdAt
        self.other = other
    }

    public var isEmpty: Bool { pairs.isEmpty }

    /// The stored pairs, named keys first in a fixed order, then `other` sorted by key.
    public var pairs: [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        if let algorithm { out.append(("algorithm", algorithm)) }
        if let configHash { out.append(("config_hash", configHash)) }
        if let seed { out.append(("seed", String(seed))) }
        if let environmentSteps { out.append(("environment_steps", String(environmentSteps))) }
        if let trainerCommit { out.append(("trainer_commit", trainerCommit)) }
        if let createdAt { out.append(("created_at", createdAt)) }
        for key in other.keys.sorted() { out.append((key, other[key]!)) }
        return out
    }

    /// Rebuild from stored pairs; a named key whose value does not parse is kept in `other`.
    public init(pairs: [(key: String, value: String)]) {
        self.init()
        for (key, value) in pairs {
            switch key {
            case "algorithm": algorithm = value
            case "config_hash": configHash = value
            case "seed" where UInt64(value) != nil: seed = UInt64(value)
            case "environment_steps" where Int(value) != nil: environmentSteps = Int(value)
            case "trainer_commit": trainerCommit = value
            case "created_at": createdAt = value
            default: other[key] = value
            }
        }
    }
}

/// The range of sensor-to-actuation latency a policy was trained for (the simulator's delay
/// randomisation), in seconds. The controller refuses a link whose measured latency lies outside.
public struct TrainedLatency: Sendable, Equatable {
    public var minimumSeconds: Double
    public var maximumSeconds: Double

    public init(minimumSeconds: Double, maximumSeconds: Double) {
        self.minimumSeconds = minimumSeconds
        self.maximumSeconds = maximumSeconds
    }

    public func contains(_ seconds: Double) -> Bool { seconds >= minimumSeconds && seconds <= maximumSeconds }

    var problem: String? {
        guard minimumSeconds.isFinite, maximumSeconds.isFinite else { return "trained latency range is not finite" }
        guard minimumSeconds >= 0, maximumSeconds >= minimumSeconds, maximumSeconds <= 10 else {
            return "trained latency range \(minimumSeconds)…\(maximumSeconds) s must satisfy 0 ≤ min ≤ max ≤ 10 s"
        }
        return nil
    }
}
