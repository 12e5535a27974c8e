import Foundation
import MotorModel

extension RobotDescription {
    /// A readable summary with the figures people check first.
    public var summary: String {
        let p = parameters, m = p.motor
        let fn = p.pendulumNaturalFrequencyRadPerS
        func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)g", x) }
        return """
        robot        \(p.name)  (identity \(String(format: "%016llx", p.identity)))
        description  \(sourcePath)
        model        \(mjcfPath)
        arm          \(f(p.arm.massKg)) kg, \(f(p.arm.lengthM)) m, \(p.arm.encoderCountsPerRevolution) counts/rev \
        (\(f(p.arm.encoderResolutionRad * 1000, 3)) mrad), soft limit ±\(f(p.arm.softLimitRad)) rad
        pendulum     \(f(p.pendulum.massKg)) kg, \(f(p.pendulum.lengthM)) m, \(p.pendulum.encoderCountsPerRevolution) counts/rev \
        (\(f(p.pendulum.encoderResolutionRad * 1000, 3)) mrad)
        motor        \(f(m.supplyVoltageV)) V, \(f(m.resistanceOhm)) Ω, k_t \(f(m.torqueConstantNmPerA)) N·m/A, gear \(f(m.gearRatio)):1, \
        deadzone \(f(m.deadzone)), bias \(f(m.bias)), lag \(f(m.lagTimeConstantS * 1000)) ms
        control      \(f(p.control.rateHz)) Hz, physics step \(f(p.control.physicsTimestepS * 1000)) ms \
        (\(p.control.substepsPerControlStep) per control step), latency \(f(p.control.latencyS * 1000)) ms

        derived
          stall torque at the arm        \(f(m.stallTorqueNm)) N·m
          no-load arm speed              \(f(m.noLoadSpeedRadPerS)) rad/s (\(f(m.noLoadSpeedRadPerS * 60 / (2 * .pi))) rpm)
          back-EMF damping at the arm    \(f(m.backEmfDampingNmsPerRad)) N·m·s/rad
          arm inertia about its axis     \(f(p.armAxisInertiaKgM2)) kg·m² (pendulum and rotor included)
          pendulum natural frequency     \(f(fn)) rad/s = \(f(fn / (2 * .pi))) Hz, period \(f(2 * .pi / fn)) s (arm held)
          with the arm free              \(f(p.coupledNaturalFrequencyRadPerS)) rad/s, period \(f(2 * .pi / p.coupledNaturalFrequencyRadPerS)) s
        """
    }
}
