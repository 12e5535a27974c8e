#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MotorModel

/// Hand-written controllers for `furuta sim`, to see the model behave without a trained policy.
/// They read the same observation the policy would (standard features: θ, θ̇, sin α, cos α, α̇).
public enum ScriptedPolicy: String, Sendable, CaseIterable {
    /// a = 0: the motor idles (braking by back-EMF), a passive swing.
    case zero
    /// a = A·sin(2π·f·t): open-loop excitation, as for system identification.
    case sine
    /// PD on the arm angle: a = −k_p·θ − k_d·θ̇, holds the arm at centre.
    case pd
    /// Energy pumping (Åström–Furuta) with arm centring: a = (E_ref − E)/(m·g·l_c)·s − k_p·θ − k_d·θ̇,
    /// with s = −sign(α̇·cos α) (the sign that pumps energy in this model's frames),
    /// E = ½·J_p·α̇² + m·g·l_c·(1 − cos α), E_ref = 2·m·g·l_c (upright at rest).
    case energy

    public func action(time t: Double, observation o: UnsafeBufferPointer<Float>, robot: RobotParameters,
                       amplitude: Double, frequencyHz: Double) -> Double {
        let theta = Double(o[0]), thetaDot = Double(o[1])
        let cosAlpha = Double(o[3]), alphaDot = Double(o[4])
        switch self {
        case .zero:
            return 0
        case .sine:
            return amplitude * sin(2 * Double.pi * frequencyHz * t)
        case .pd:
            return -2.0 * theta - 0.1 * thetaDot
        case .energy:
            let p = robot.pendulum
            let mgl = p.massKg * robot.gravityMPerS2 * p.comDistanceM
            let energy = 0.5 * robot.pendulumPivotInertiaKgM2 * alphaDot * alphaDot + mgl * (1 - cosAlpha)
            let direction: Double = alphaDot * cosAlpha >= 0 ? -1 : 1
            let pump = (2 * mgl - energy) / mgl * direction
            return min(max(pump - 1.0 * theta - 0.05 * thetaDot, -1), 1)
        }
    }
}
