import MotorModel

/// A robot.yaml value system identification may change, with how to search it.
///
/// Searched in log scale when the value is positive by nature (masses, inertias, motor
/// constants: a factor of 2 either way is the same distance), linearly when it may be zero or
/// negative (bias, deadzone, damping that may vanish). The default search range is
/// `defaultRange(nominal)`; the schema (robot.yaml's own checks) bounds it, and the user may
/// narrow or move it with `KEY=LOW:HIGH`.
public struct FittableParameter: Sendable {
    public enum Scale: Sendable { case logarithmic, linear }

    /// The dotted robot.yaml key, e.g. `pendulum.mass_kg`.
    public let key: String
    public let scale: Scale
    let keyPath: WritableKeyPath<RobotParameters, Double> & Sendable
    /// Default search range around the nominal value.
    let defaultRange: @Sendable (Double) -> ClosedRange<Double>

    public func value(in robot: RobotParameters) -> Double { robot[keyPath: keyPath] }
    public func set(_ value: Double, in robot: inout RobotParameters) { robot[keyPath: keyPath] = value }
    public func defaultBounds(nominal: Double) -> ClosedRange<Double> { defaultRange(nominal) }

    /// Factor 2 either way of a positive nominal (±30 % perturbations sit well inside).
    static func factor(_ key: String, _ path: WritableKeyPath<RobotParameters, Double> & Sendable) -> FittableParameter {
        FittableParameter(key: key, scale: .logarithmic, keyPath: path) { nominal in (nominal / 2)...(nominal * 2) }
    }

    /// nominal ± width, linear (for values that may be zero or change sign).
    static func offset(_ key: String, _ path: WritableKeyPath<RobotParameters, Double> & Sendable,
                       width: @escaping @Sendable (Double) -> Double) -> FittableParameter {
        FittableParameter(key: key, scale: .linear, keyPath: path) { nominal in
            let w = width(nominal)
            return (nominal - w)...(nominal + w)
        }
    }
}

/// Every robot.yaml key `furuta sysid fit --params` accepts. Geometry a ruler measures
/// (lengths), the gear ratio and supply voltage (read off the parts), encoders, rates and
/// gravity are not fitted: they are known better than any fit could tell them.
public enum FittableParameters {
    public static let all: [FittableParameter] = [
        .factor("arm.mass_kg", \.arm.massKg),
        .factor("arm.com_distance_m", \.arm.comDistanceM),
        .factor("arm.inertia_about_com_kg_m2", \.arm.inertiaAboutComKgM2),
        .factor("arm.rotor_inertia_kg_m2", \.arm.rotorInertiaKgM2),
        .offset("arm.damping_nms_per_rad", \.arm.dampingNmsPerRad) { max($0, 5e-4) },
        .factor("pendulum.mass_kg", \.pendulum.massKg),
        .factor("pendulum.com_distance_m", \.pendulum.comDistanceM),
        .factor("pendulum.inertia_about_com_kg_m2", \.pendulum.inertiaAboutComKgM2),
        .offset("pendulum.damping_nms_per_rad", \.pendulum.dampingNmsPerRad) { max($0, 1e-5) },
        .factor("motor.resistance_ohm", \.motor.resistanceOhm),
        .factor("motor.torque_constant_nm_per_a", \.motor.torqueConstantNmPerA),
        .factor("motor.back_emf_v_s_per_rad", \.motor.backEmfVsPerRad),
        .factor("motor.current_limit_a", \.motor.currentLimitA),
        .offset("motor.lag_time_constant_s", \.motor.lagTimeConstantS) { max($0, 0.004) },
        .offset("motor.bias", \.motor.bias) { _ in 0.05 },
        .offset("motor.deadzone", \.motor.deadzone) { max($0, 0.05) },
        .offset("motor.gear_gain_positive", \.motor.gearGainPositive) { _ in 0.3 },
        .offset("motor.gear_gain_negative", \.motor.gearGainNegative) { _ in 0.3 },
        .offset("motor.friction.coulomb_nm", \.motor.friction.coulombNm) { max($0, 0.004) },
        .offset("motor.friction.static_nm", \.motor.friction.staticNm) { max($0, 0.006) },
        .factor("motor.friction.stribeck_velocity_rad_per_s", \.motor.friction.stribeckVelocityRadPerS),
        .offset("motor.friction.viscous_nms_per_rad", \.motor.friction.viscousNmsPerRad) { max($0, 2e-4) },
        .offset("control.latency_s", \.control.latencyS) { max($0, 0.004) },
    ]

    /// The default `--params`: the values the dynamics pin down once the pendulum's mass and
    /// centre of mass are measured (weigh it, balance it on an edge).
    ///
    /// Why those two are not fitted: scaling every mass, inertia and torque by the same factor
    /// λ — m_p, I_c, J_a, k_t (so the drive G·k_t·V/R and the back-EMF damping G²·k_t·k_e/R),
    /// friction and the pendulum's damping — leaves every trajectory unchanged (divide both
    /// equations of motion by m_p·l_c: only ratios remain), broken only by the few values not
    /// scaled (static friction, the links' tiny axial inertia). So one scale-setting value must
    /// be measured; with m_p and l_c known, gravity's m_p·g·l_c sets the scale. Likewise only
    /// one arm inertia (the arm's mass, centre of mass, own and rotor inertia enter only
    /// through J_a), R fixed (only k_t/R and k_t·k_e/R are observable), gear_gain_positive fixed
    /// at 1 (with k_t free it only rescales k_t), and viscous friction left out: the bridge is
    /// always driven, so it adds to the back-EMF damping G²·k_t·k_e/R and the two are
    /// indistinguishable — the fitted k_e absorbs a viscous-friction error as
    /// Δk_e = Δb_v·R/(G²·k_t) (a fit with both free reports them confounded, correlation −1).
    public static let defaultKeys = [
        "arm.inertia_about_com_kg_m2", "pendulum.inertia_about_com_kg_m2",
        "pendulum.damping_nms_per_rad", "motor.torque_constant_nm_per_a", "motor.back_emf_v_s_per_rad",
        "motor.lag_time_constant_s", "motor.bias", "motor.deadzone", "motor.gear_gain_negative",
        "motor.friction.coulomb_nm", "control.latency_s",
    ]

    /// robot.yaml keys that exist but are deliberately not fitted, and why.
    static let measuredKeys: [String: String] = [
        "arm.length_m": "a length: measure it", "pendulum.length_m": "a length: measure it",
        "motor.gear_ratio": "count the teeth", "motor.supply_voltage_v": "measure the supply",
        "arm.encoder_counts_per_rev": "the encoder's datasheet", "pendulum.encoder_counts_per_rev": "the encoder's datasheet",
        "arm.soft_limit_rad": "a safety setting, not physics", "control.rate_hz": "a setting, not physics",
        "control.physics_timestep_s": "a simulator setting", "gravity_m_per_s2": "known",
        "motor.friction.smoothing_velocity_rad_per_s": "a numerical smoothing, not physics",
    ]

    public static func named(_ key: String) -> FittableParameter? { all.first { $0.key == key } }

    /// The fittable key closest to `key` by edit distance (for "did you mean").
    public static func nearest(to key: String) -> String {
        all.map(\.key).min { editDistance($0, key) < editDistance($1, key) }!
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(b.count, 1) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
