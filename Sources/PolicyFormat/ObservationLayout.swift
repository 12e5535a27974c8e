/// What the policy sees, described as data so that the simulator and the controller build the
/// same vector from the same description (it is stored in the `.policy` file).
///
/// The vector is, in order:
///
///     [ current features (features.count) ]
///     [ history: for j = 1…historyLength, oldest last:
///         features at step t−j (features.count), action applied at step t−j (actionCount) ]
///
/// History slot j = 1 is the previous control step. Before enough steps have passed (after a
/// reset), missing history slots repeat the first observation with zero action.
public struct ObservationLayout: Sendable, Equatable, Hashable, Codable {
    /// The per-step features, in order.
    public var features: [ObservationFeature]
    /// How many past (features, action) pairs follow the current features.
    public var historyLength: Int
    /// Number of action components (1 for the Furuta pendulum: the motor).
    public var actionCount: Int
    /// Encoder counts per revolution of the arm and of the pendulum, used to turn counts into
    /// radians. They must equal the robot's.
    public var armCountsPerRevolution: Int
    public var pendulumCountsPerRevolution: Int
    /// Velocity estimate: v̂ ← v̂ + β·((θ_k − θ_{k−1})/(t_k − t_{k−1}) − v̂), β in (0, 1]. β = 1 is
    /// the plain finite difference; smaller values low-pass it.
    public var velocitySmoothing: Double

    public init(features: [ObservationFeature] = ObservationFeature.standard, historyLength: Int,
                actionCount: Int = 1, armCountsPerRevolution: Int, pendulumCountsPerRevolution: Int,
                velocitySmoothing: Double = 0.5) {
        self.features = features
        self.historyLength = historyLength
        self.actionCount = actionCount
        self.armCountsPerRevolution = armCountsPerRevolution
        self.pendulumCountsPerRevolution = pendulumCountsPerRevolution
        self.velocitySmoothing = velocitySmoothing
    }

    /// Length of the observation vector.
    public var size: Int { features.count + historyLength * (features.count + actionCount) }

    /// Problems that make this layout unusable, empty when it is valid.
    public var problems: [String] {
        var found: [String] = []
        if features.isEmpty { found.append("no features") }
        if historyLength < 0 { found.append("negative history length \(historyLength)") }
        if actionCount < 1 { found.append("action count \(actionCount) < 1") }
        if armCountsPerRevolution < 1 { found.append("arm counts per revolution \(armCountsPerRevolution) < 1") }
        if pendulumCountsPerRevolution < 1 {
            found.append("pendulum counts per revolution \(pendulumCountsPerRevolution) < 1")
        }
        if !(velocitySmoothing > 0 && velocitySmoothing <= 1) {
            found.append("velocity smoothing \(velocitySmoothing) outside (0, 1]")
        }
        return found
    }
}

/// One observed quantity. Raw values are stable: they are written into policy files.
/// Angles: arm θ = 0 at the centre of its travel; pendulum α = 0 hanging down, ±π upright.
public enum ObservationFeature: UInt8, Sendable, Equatable, Hashable, Codable, CaseIterable {
    /// Arm angle θ, rad.
    case armAngle = 1
    /// sin θ.
    case armSin = 2
    /// cos θ.
    case armCos = 3
    /// Arm velocity estimate, rad/s.
    case armVelocity = 4
    /// sin α.
    case pendulumSin = 5
    /// cos α (−1 upright).
    case pendulumCos = 6
    /// Pendulum velocity estimate, rad/s.
    case pendulumVelocity = 7

    /// The default: θ, θ̇, sin α, cos α, α̇.
    public static let standard: [ObservationFeature] =
        [.armAngle, .armVelocity, .pendulumSin, .pendulumCos, .pendulumVelocity]
}
