/// The drive's static nonlinearity on the physics side: commanded duty u → effective drive e,
/// a fraction of the supply voltage that reaches the motor, in [−1, 1]:
///
///     u_s = clamp(u, −1, 1)                                      duty limit
///     u_b = u_s + b                                              bias
///     u_d = sign(u_b)·max(|u_b| − d, 0)/(1 − d)                  deadzone, rescaled
///     e   = clamp(η_±·u_d, −1, 1)                                gear gain per direction
///
/// `DutyCompensation` is its inverse on the controller side.
@inlinable
public func effectiveDrive(duty u: Double, _ p: MotorParameters) -> Double {
    let saturated = min(max(u, -1), 1)
    let biased = saturated + p.bias
    let magnitude = max(abs(biased) - p.deadzone, 0) / (1 - p.deadzone)
    let signed = biased < 0 ? -magnitude : magnitude
    let gain = signed < 0 ? p.gearGainNegative : p.gearGainPositive
    return min(max(gain * signed, -1), 1)
}
