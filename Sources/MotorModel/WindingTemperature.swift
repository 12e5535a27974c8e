#if canImport(Glibc)
import Glibc
#endif

/// The I²t estimate of the motor winding's temperature rise, a wear budget for training on the
/// robot: the armature current of the motor model (`motorTorque`'s, from the applied duty and the
/// arm speed) heats a first-order thermal mass.
///
///     i  = clamp((d·V_s − k_e·G·ω)/R, ±i_max)               armature current, A
///     P  = i²·R                                            copper loss, W
///     ΔT ← ΔT + (P·R_th − ΔT)·(1 − e^(−dt/τ_th))            rise over ambient, K (exact for P held over dt)
///
/// At a constant current the rise settles at i²·R·R_th; R_th (winding to ambient, K/W) and τ_th
/// are not in robot.yaml: the defaults are a small brushed gearmotor's (datasheets of 20–25 mm
/// can motors give 15–30 K/W and time constants of minutes), so the figure is an estimate to
/// budget against, not a measurement.
public struct WindingTemperature: Sendable, Equatable, Codable {
    /// Thermal resistance winding → ambient, K/W.
    public var thermalResistanceKPerW = 25.0
    /// Thermal time constant of the winding and housing, s.
    public var timeConstantS = 120.0
    /// Current rise over ambient, K.
    public private(set) var riseK = 0.0
    /// Highest rise seen, K.
    public private(set) var peakRiseK = 0.0
    /// ∫ i² dt, A²·s (the I²t itself).
    public private(set) var currentSquaredSeconds = 0.0

    public init(thermalResistanceKPerW: Double = 25, timeConstantS: Double = 120, riseK: Double = 0) {
        self.thermalResistanceKPerW = thermalResistanceKPerW
        self.timeConstantS = timeConstantS
        self.riseK = riseK
        peakRiseK = riseK
    }

    /// Armature current of the motor model at applied duty `duty` and arm speed `omega`, A.
    public static func current(duty: Double, armVelocityRadPerS omega: Double, _ p: MotorParameters) -> Double {
        let voltage = duty * p.supplyVoltageV
        let backEmf = p.backEmfVsPerRad * p.gearRatio * omega
        return min(max((voltage - backEmf) / p.resistanceOhm, -p.currentLimitA), p.currentLimitA)
    }

    /// `seconds` at applied duty `duty` with the arm at `omega` rad/s.
    public mutating func advance(duty: Double, armVelocityRadPerS omega: Double, seconds dt: Double, motor p: MotorParameters) {
        guard dt > 0, duty.isFinite, omega.isFinite else { return }
        let i = Self.current(duty: duty, armVelocityRadPerS: omega, p)
        currentSquaredSeconds += i * i * dt
        let settled = i * i * p.resistanceOhm * thermalResistanceKPerW
        riseK += (settled - riseK) * (1 - exp(-dt / timeConstantS))
        peakRiseK = max(peakRiseK, riseK)
    }

    /// Cooling with the motor off for `seconds` (between episodes, while the session waits).
    public mutating func cool(seconds dt: Double) {
        guard dt > 0 else { return }
        riseK *= exp(-dt / timeConstantS)
    }
}
