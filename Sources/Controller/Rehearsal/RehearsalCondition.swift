/// What a rehearsal episode does to the twin besides its randomised physics and latency.
public enum RehearsalCondition: String, Sendable, Codable, CaseIterable, Comparable {
    /// Physics and latency only.
    case nominal
    /// 1 % of whole frames dropped, each direction.
    case drops
    /// 0.1 % of bytes corrupted, each direction (≈ 3 % of frames fail their CRC).
    case corruption
    /// A USB-serial bridge: 921 600 baud byte timing, 1 ms USB frames, 1 ms jitter and rare
    /// 3 ms spikes each way, on top of the episode's latency.
    case usbJitter = "usb_jitter"
    /// The device resets mid-run (supply dip): the run must end in a confirmed safe stop.
    case brownout

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }

    /// What passing means here, for the table's legend.
    public var passCriterion: String {
        switch self {
        case .brownout: "fault device_reset, motor stop confirmed by a new handshake, nothing else"
        default: "completed without a fault, motor stop confirmed, upright long enough"
        }
    }
}

/// One episode's settings, drawn by `RehearsalPlan`.
public struct RehearsalEpisodeSpec: Sendable, Codable, Equatable {
    public var index: Int
    public var condition: RehearsalCondition
    /// Added sensor-to-actuation latency (both directions together), s.
    public var latencySeconds: Double
    /// Share of it on the device → host direction (the rest host → device).
    public var replyShare: Double
    /// Seed of the twin's physics draw and of its faults.
    public var seed: UInt64

    public init(index: Int, condition: RehearsalCondition, latencySeconds: Double, replyShare: Double, seed: UInt64) {
        self.index = index
        self.condition = condition
        self.latencySeconds = latencySeconds
        self.replyShare = replyShare
        self.seed = seed
    }

    /// `furuta twin` arguments (besides `--link`) for this episode.
    public func twinArguments(trainingConfig: String?, robot: String?, brownoutAfterSeconds: Double) -> [String] {
        var latency = latencySeconds
        var arguments = ["--randomize", String(seed), "--seed", String(seed & 0xFFFF_FFFF)]
        if let trainingConfig { arguments += ["--training-config", trainingConfig] }
        if let robot { arguments += ["--robot", robot] }
        switch condition {
        case .nominal: break
        case .drops: arguments += ["--drop", "0.01"]
        case .corruption: arguments += ["--corrupt", "0.001"]
        case .usbJitter:
            // USB frames (≈ 0.5 ms of rounding each way on average) and jitter (0.5 ms each way on
            // average) add ≈ 2 ms: take them out of the fixed part so the total stays ≈ latency.
            latency = max(0, latency - 0.002)
            arguments += ["--baud", "921600", "--usb-frame-ms", "1", "--jitter-ms", "1",
                          "--spike-ms", "3", "--spike-probability", "0.005"]
        case .brownout: arguments += ["--brownout-after", String(brownoutAfterSeconds)]
        }
        let reply = latency * replyShare, command = latency - reply
        arguments += ["--delay-ms", Self.ms(reply), "--command-delay-ms", Self.ms(command)]
        return arguments
    }

    static func ms(_ seconds: Double) -> String { String(Double((seconds * 1e6).rounded()) / 1000) }
}
