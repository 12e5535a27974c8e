#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Joint friction torque, N·m, opposing the joint velocity ω (rad/s):
///
///     τ_f(ω) = −[F_c + (F_s − F_c)·exp(−(ω/ω_s)²)]·tanh(ω/ω_ε) − b_v·ω
///
/// Coulomb level F_c, Stribeck peak F_s at low speed, viscous b_v. tanh(ω/ω_ε) replaces sign(ω):
/// the result is odd (τ_f(−ω) = −τ_f(ω)), continuous and zero at ω = 0, so RK4 stays stable.
@inlinable
public func frictionTorque(velocityRadPerS omega: Double, _ p: FrictionParameters) -> Double {
    let stribeck = omega / p.stribeckVelocityRadPerS
    let level = p.coulombNm + (p.staticNm - p.coulombNm) * exp(-stribeck * stribeck)
    return -level * tanh(omega / p.smoothingVelocityRadPerS) - p.viscousNmsPerRad * omega
}
