import MotorModel

/// The physics below one simulated pendulum's env: what `PendulumEnv` calls once per physics
/// step, whatever integrates the rigid bodies. The env keeps everything above it (duty
/// compensation, the delay line, encoders, the observation, the task, any stopping logic), so
/// every backend runs exactly the same env.
///
/// Two implementations: `PendulumPhysics` (MuJoCo, the reference) and
/// `AnalyticPendulumPhysics` (the closed-form Furuta equations, same motor chain, same RK4);
/// `environment.physics` chooses (`PhysicsBackendName`).
public protocol PendulumPhysicsBackend: AnyObject, Sendable {
    /// The parameters currently applied (this episode's, possibly randomised).
    var robot: RobotParameters { get }
    /// The drive chain with this pendulum's motor parameters (its lag is part of the state).
    var motor: MotorChain { get set }
    /// Write the physical parameters into the model.
    func apply(_ robot: RobotParameters)
    /// Put the pendulum at the given state, time 0; the motor's lag is cleared.
    func reset(armAngle: Double, pendulumAngle: Double, armVelocity: Double, pendulumVelocity: Double) throws(MuJoCoError)
    /// Advance one physics step with `duty` held at the H-bridge.
    func step(duty: Double) throws(MuJoCoError)
    /// Arm angle θ, rad (0 = centre).
    var armAngle: Double { get }
    /// Pendulum angle α, rad (0 = hanging, ±π upright), not wrapped.
    var pendulumAngle: Double { get }
    var armVelocity: Double { get }
    var pendulumVelocity: Double { get }
    /// Simulated time since the reset, s.
    var time: Double { get }
    /// The dynamic state, for checkpoints (qpos/qvel in the order arm, pendulum).
    var state: MuJoCoData.State { get }
    func restore(_ state: MuJoCoData.State) throws(MuJoCoError)
}

/// Which physics steps the simulated pendulums (`environment.physics`).
public enum PhysicsBackendName: String, Sendable, Equatable, Codable, CaseIterable {
    /// MuJoCo's generic rigid-body step: the reference.
    case mujoco
    /// The closed-form two-joint equations (`AnalyticPendulumPhysics`), held to MuJoCo's
    /// trajectories by a test; the env steps ~20× faster on it (`furuta bench sim`).
    case analytic

    /// A name outside the cases says which names exist (the config loader adds the key).
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "must be one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        self = value
    }
}
