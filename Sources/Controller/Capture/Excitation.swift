#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MotorModel

/// The test signals `furuta-controller capture` plays, in action units a ∈ [−1, 1] (then
/// compensated to duty with robot.yaml's motor and passed through the safety layer, as a
/// policy's action would be). Each excites what system identification needs:
///
/// - chirp: a(t) = A·w(t)·sin(2π(f₀t + (f₁ − f₀)t²/2T)), f₀ → f₁ over the duration T, with a
///   cosine taper w over the first and last second: the arm's inertia, back-EMF and lag over
///   the band, the pendulum's resonance on the way.
/// - prbs: ±A switched by a 9-bit maximal-length LFSR (x⁹ + x⁵ + 1) every `bitSeconds`:
///   broadband, many direction reversals (friction, deadzone, per-direction gear gain).
/// - steps: A, 0, −A, 0, A/2, 0, −A/2, 0, A/4, … each held `stepSeconds`: static levels
///   (deadzone, bias, Coulomb friction) and accelerations from rest.
/// - release: drive the arm at the pendulum's coupled natural frequency (robot.yaml) until the
///   pendulum swings past `releaseAngleRad`, then action 0 for `freeSeconds` (free swing: the
///   pendulum's damping and the inertia ratio), re-centre for `recentreSeconds`, repeat.
///
/// All but the free swing add a weak arm-centring term −k_p·θ − k_d·θ̇ (dropped below
/// `centringDeadband`) so the arm (a free integrator) cannot drift; the recording holds the duty actually sent, so the fit replays
/// exactly what the motor saw whatever produced it.
public enum ExcitationKind: String, Sendable, CaseIterable {
    case chirp, prbs, steps, release
}

public struct ExcitationSettings: Sendable, Equatable {
    public var kind: ExcitationKind
    /// Amplitude A, action units.
    public var amplitude: Double
    public var chirpStartHz = 1.0
    public var chirpEndHz = 8.0
    public var bitSeconds = 0.05
    public var stepSeconds = 0.8
    public var releaseAngleRad = 1.0
    /// Longest pumping before releasing anyway, s.
    public var pumpSeconds = 4.0
    public var freeSeconds = 5.0
    public var recentreSeconds = 1.5
    /// The pumping frequency, rad/s (robot.yaml's coupled natural frequency).
    public var pumpRadPerS: Double
    /// Centring gains k_p (per rad) and k_d (per rad/s).
    public var centringProportional = 0.5
    public var centringDerivative = 0.03
    /// A centring pull smaller than this is dropped (action units): near the centre it would be
    /// compensated to ±deadzone duty flipping sign every tick — chatter that moves nothing and
    /// that the controller's frozen-encoder check (which integrates |duty| from rest) reads as
    /// stale counts (measured: the release capture on seed 1's twin of scripts/sysid-figures.sh
    /// stopped with stale_state in its re-centring stage, 13 attempts of 13).
    public var centringDeadband = 0.02

    /// The default amplitude of each kind, chosen so the nominal arm stays well inside ±2 rad
    /// (`SoftLimitPrediction` checks it for the robot at hand). PRBS is at 0.2: at 0.3 a robot
    /// with 20 % more drive than nominal pumped its pendulum over the top and spun it, a motion
    /// so sensitive to every parameter that the replay of it says nothing.
    public static func defaultAmplitude(_ kind: ExcitationKind) -> Double {
        switch kind {
        case .chirp: return 0.3
        case .prbs: return 0.2
        case .steps: return 0.25
        case .release: return 0.3
        }
    }

    public init(kind: ExcitationKind, amplitude: Double? = nil, robot: RobotParameters) {
        self.kind = kind
        self.amplitude = amplitude ?? Self.defaultAmplitude(kind)
        pumpRadPerS = robot.coupledNaturalFrequencyRadPerS
    }
}

/// The excitation as a function of time and the measured state. Value type; `action` allocates
/// nothing (it runs on the loop thread).
public struct ExcitationSignal: Sendable {
    public let settings: ExcitationSettings
    /// Total excitation time T, s (the capture's duration).
    public let durationSeconds: Double

    /// Release's state: when the current stage began, and which stage.
    public enum ReleaseStage: Sendable, Equatable { case pumping, free, recentring }
    public private(set) var releaseStage = ReleaseStage.pumping
    private var stageStart = 0.0

    public init(settings: ExcitationSettings, durationSeconds: Double) {
        self.settings = settings
        self.durationSeconds = durationSeconds
    }

    /// The action at t seconds after the start, given the arm angle θ and speed θ̇ and the
    /// pendulum angle α (0 hanging).
    public mutating func action(t: Double, armAngle theta: Double, armVelocity thetaDot: Double,
                                pendulumAngle alpha: Double) -> Double {
        let s = settings
        let pull = -s.centringProportional * theta - s.centringDerivative * thetaDot
        let centring = abs(pull) < s.centringDeadband ? 0 : pull
        let a: Double
        switch s.kind {
        case .chirp:
            let phase = 2 * Double.pi * (s.chirpStartHz * t + (s.chirpEndHz - s.chirpStartHz) * t * t / (2 * durationSeconds))
            a = s.amplitude * taper(t) * sin(phase) + centring
        case .prbs:
            a = (Self.prbsBit(Int(t / s.bitSeconds)) ? s.amplitude : -s.amplitude) * taper(t) + centring
        case .steps:
            a = Self.stepLevel(Int(t / s.stepSeconds)) * s.amplitude + centring
        case .release:
            a = releaseAction(t, alpha: alpha, centring: centring)
        }
        return min(max(a, -1), 1)
    }

    private mutating func releaseAction(_ t: Double, alpha: Double, centring: Double) -> Double {
        let s = settings
        let inStage = t - stageStart
        switch releaseStage {
        case .pumping:
            // |α| measured from hanging, wrapped to [0, π].
            let swing = abs(atan2(sin(alpha), cos(alpha)))
            if swing >= s.releaseAngleRad || inStage >= s.pumpSeconds {
                releaseStage = .free
                stageStart = t
                return 0
            }
            return s.amplitude * sin(s.pumpRadPerS * inStage) + centring
        case .free:
            if inStage >= s.freeSeconds {
                releaseStage = .recentring
                stageStart = t
            }
            return 0
        case .recentring:
            if inStage >= s.recentreSeconds {
                releaseStage = .pumping
                stageStart = t
            }
            return centring
        }
    }

    /// w(t) = ½(1 − cos(π·t/1 s)) over the first second, mirrored over the last, 1 between.
    private func taper(_ t: Double) -> Double {
        let edge = min(t, durationSeconds - t)
        if edge <= 0 { return 0 }
        return edge >= 1 ? 1 : 0.5 * (1 - cos(Double.pi * edge))
    }

    /// Bit k of the 9-bit maximal-length sequence (x⁹ + x⁵ + 1, period 511, seed 1).
    static func prbsBit(_ k: Int) -> Bool {
        var register: UInt16 = 0x1ff
        for _ in 0..<(k % 511) {
            let feedback = ((register >> 8) ^ (register >> 4)) & 1
            register = ((register << 1) | feedback) & 0x1ff
        }
        return register & 1 == 1
    }

    /// Level sequence A, 0, −A, 0, A/2, 0, −A/2, 0, A/4, 0, −A/4, 0, then again.
    static func stepLevel(_ k: Int) -> Double {
        let index = k % 12
        if index % 2 == 1 { return 0 }
        let magnitude = [1.0, 0.5, 0.25][index / 4]
        return (index / 2) % 2 == 0 ? magnitude : -magnitude
    }
}
