/// Controller side of the motor chain: the policy's action a ∈ [−1, 1], meaning "this fraction of
/// full drive", becomes the PWM duty that makes the drive deliver it. It inverts
/// `effectiveDrive` step by step (gear, deadzone, bias):
///
///     u_d = a / η_±                                  gear compensation
///     u_b = sign(u_d)·(d + |u_d|·(1 − d)), 0 if a = 0   deadzone compensation
///     u   = clamp(u_b − b, −1, 1)                     bias compensation, duty limit
///
/// so `effectiveDrive(compensatedDuty(a)) == a` whenever no clamp is active.
@inlinable
public func compensatedDuty(action a: Double, _ p: MotorParameters) -> Double {
    guard a.isFinite else { return 0 }
    let gain = a < 0 ? p.gearGainNegative : p.gearGainPositive
    let beforeGear = a / gain
    var beforeDeadzone = 0.0
    if beforeGear != 0 {
        let magnitude = p.deadzone + abs(beforeGear) * (1 - p.deadzone)
        beforeDeadzone = beforeGear < 0 ? -magnitude : magnitude
    }
    return min(max(beforeDeadzone - p.bias, -1), 1)
}
