/// Torque at the arm from a DC gearmotor, N·m, given the effective drive e ∈ [−1, 1] (fraction of
/// V_s reaching the armature, after the lag) and the arm speed ω (rad/s):
///
///     V = e·V_s                                 armature voltage, V
///     i = clamp((V − k_e·G·ω)/R, −i_max, i_max)  armature current, A (inductance in the lag)
///     τ = G·k_t·i                               arm torque, N·m
///
/// Back-EMF makes the driven motor a damper of G²·k_t·k_e/R N·m·s/rad. The direction-dependent
/// gear gain is part of `effectiveDrive`, so it scales only the driving part.
@inlinable
public func motorTorque(effectiveDrive e: Double, armVelocityRadPerS omega: Double,
                        _ p: MotorParameters) -> Double {
    let voltage = e * p.supplyVoltageV
    let backEmf = p.backEmfVsPerRad * p.gearRatio * omega
    let current = min(max((voltage - backEmf) / p.resistanceOhm, -p.currentLimitA), p.currentLimitA)
    return p.gearRatio * p.torqueConstantNmPerA * current
}
