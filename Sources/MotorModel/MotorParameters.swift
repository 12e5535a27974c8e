/// Parameters of the drive chain from PWM duty to arm torque: H-bridge and DC gearmotor.
///
/// Units are in the names. The same values drive the simulator (duty → torque), the controller's
/// compensation (action → duty) and system identification; see `MotorChain` for the equations.
public struct MotorParameters: Sendable, Equatable, Hashable, Codable {
    /// H-bridge supply voltage V_s, volts. Duty 1 applies +V_s to the motor.
    public var supplyVoltageV: Double
    /// Armature resistance R, ohms.
    public var resistanceOhm: Double
    /// Torque constant k_t at the motor shaft, N·m/A.
    public var torqueConstantNmPerA: Double
    /// Back-EMF constant k_e at the motor shaft, V·s/rad (equal to k_t in SI for an ideal motor).
    public var backEmfVsPerRad: Double
    /// Gear ratio G = motor speed / arm speed.
    public var gearRatio: Double
    /// Current limit of the driver, amperes: |i| is clamped to it (torque saturation).
    public var currentLimitA: Double
    /// Time constant of the first-order lag between commanded and effective voltage, seconds
    /// (driver slew and armature inductance lumped together). Zero means no lag.
    public var lagTimeConstantS: Double
    /// Duty offset b added by the drive (H-bridge asymmetry), in duty units.
    public var bias: Double
    /// Deadzone d in duty units, 0 ≤ d < 1: |duty + b| ≤ d moves nothing.
    public var deadzone: Double
    /// Gear gain η₊ for positive drive: fraction of the ideal torque the gearbox passes forwards.
    public var gearGainPositive: Double
    /// Gear gain η₋ for negative drive (gearboxes are seldom symmetric).
    public var gearGainNegative: Double
    /// Friction at the arm joint.
    public var friction: FrictionParameters

    public init(
        supplyVoltageV: Double, resistanceOhm: Double, torqueConstantNmPerA: Double,
        backEmfVsPerRad: Double, gearRatio: Double, currentLimitA: Double,
        lagTimeConstantS: Double, bias: Double, deadzone: Double,
        gearGainPositive: Double, gearGainNegative: Double, friction: FrictionParameters
    ) {
        self.supplyVoltageV = supplyVoltageV
        self.resistanceOhm = resistanceOhm
        self.torqueConstantNmPerA = torqueConstantNmPerA
        self.backEmfVsPerRad = backEmfVsPerRad
        self.gearRatio = gearRatio
        self.currentLimitA = currentLimitA
        self.lagTimeConstantS = lagTimeConstantS
        self.bias = bias
        self.deadzone = deadzone
        self.gearGainPositive = gearGainPositive
        self.gearGainNegative = gearGainNegative
        self.friction = friction
    }

    /// Arm torque at stall with full duty, N·m: τ_stall = G·k_t·min(V_s/R, i_max)·η₊.
    public var stallTorqueNm: Double {
        gearRatio * torqueConstantNmPerA * min(supplyVoltageV / resistanceOhm, currentLimitA)
            * gearGainPositive
    }

    /// Arm speed with full duty and no load, rad/s: ω₀ = V_s / (k_e·G) (friction neglected).
    public var noLoadSpeedRadPerS: Double {
        supplyVoltageV / (backEmfVsPerRad * gearRatio)
    }

    /// Viscous damping the back-EMF adds at the arm when the bridge is driven, N·m·s/rad:
    /// b_emf = G²·k_t·k_e / R.
    public var backEmfDampingNmsPerRad: Double {
        gearRatio * gearRatio * torqueConstantNmPerA * backEmfVsPerRad / resistanceOhm
    }
}

/// Coulomb + Stribeck + viscous friction at a joint. See `Friction`.
public struct FrictionParameters: Sendable, Equatable, Hashable, Codable {
    /// Coulomb (sliding) friction torque F_c, N·m.
    public var coulombNm: Double
    /// Static (breakaway) friction torque F_s ≥ F_c, N·m.
    public var staticNm: Double
    /// Stribeck velocity ω_s, rad/s: how fast friction falls from F_s to F_c.
    public var stribeckVelocityRadPerS: Double
    /// Smoothing velocity ω_ε, rad/s: sign(ω) is replaced by tanh(ω/ω_ε) so the integrator
    /// sees a continuous, odd function near zero speed.
    public var smoothingVelocityRadPerS: Double
    /// Viscous damping b_v, N·m·s/rad.
    public var viscousNmsPerRad: Double

    public init(
        coulombNm: Double, staticNm: Double, stribeckVelocityRadPerS: Double,
        smoothingVelocityRadPerS: Double, viscousNmsPerRad: Double
    ) {
        self.coulombNm = coulombNm
        self.staticNm = staticNm
        self.stribeckVelocityRadPerS = stribeckVelocityRadPerS
        self.smoothingVelocityRadPerS = smoothingVelocityRadPerS
        self.viscousNmsPerRad = viscousNmsPerRad
    }

    /// No friction at all (energy-conservation tests, ideal joints).
    public static let none = FrictionParameters(
        coulombNm: 0, staticNm: 0, stribeckVelocityRadPerS: 1,
        smoothingVelocityRadPerS: 1, viscousNmsPerRad: 0)
}
