/// The whole physics-side chain, one call per physics step:
///
///     duty u ──effectiveDrive──▶ e* ──FirstOrderLag(τ)──▶ e ──motorTorque(ω)──▶ τ_m
///     τ_arm = τ_m + frictionTorque(ω)
///
/// Pure apart from the lag state; allocates nothing. The simulator and the twin call it with
/// the arm velocity from the physics engine; system identification calls it on recordings.
public struct MotorChain: Sendable, Equatable {
    public var parameters: MotorParameters
    /// Lag state: the effective drive currently reaching the armature.
    public var lag: FirstOrderLag

    public init(parameters: MotorParameters) {
        self.parameters = parameters
        self.lag = FirstOrderLag()
    }

    /// Forget the lag state (episode reset, device reset).
    public mutating func reset() { lag = FirstOrderLag() }

    /// Advance the lag by `dt` seconds with `duty` held, and return the arm torque in N·m at the
    /// arm velocity `armVelocityRadPerS`.
    @inlinable
    public mutating func step(duty: Double, armVelocityRadPerS omega: Double, dtS dt: Double) -> Double {
        let target = effectiveDrive(duty: duty, parameters)
        lag.advance(toward: target, timeConstantS: parameters.lagTimeConstantS, dtS: dt)
        return motorTorque(effectiveDrive: lag.value, armVelocityRadPerS: omega, parameters)
            + frictionTorque(velocityRadPerS: omega, parameters.friction)
    }
}
