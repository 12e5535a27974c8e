#if canImport(Glibc)
import Glibc
#endif
import MotorModel
import Testing

/// The I²t winding-temperature estimate of the session's wear budget.
@Suite struct WindingTemperatureTests {
    @Test func aStalledMotorSettlesAtISquaredRTimesTheThermalResistanceWithItsTimeConstant() {
        // Duty 0.5 stalled: i = 0.5·12/6 = 1 A (under the 1.5 A limit), P = 6 W, settles at 6·25 = 150 K.
        var t = WindingTemperature(thermalResistanceKPerW: 25, timeConstantS: 100)
        for _ in 0..<10_000 { t.advance(duty: 0.5, armVelocityRadPerS: 0, seconds: 0.01, motor: handMotor) }
        // After one time constant: 1 − e^−1 of the way.
        #expect(abs(t.riseK - 150 * (1 - exp(-1))) < 1e-6)
        #expect(abs(t.currentSquaredSeconds - 100) < 1e-6)
        for _ in 0..<100_000 { t.advance(duty: 0.5, armVelocityRadPerS: 0, seconds: 0.01, motor: handMotor) }
        // Eleven time constants in all.
        let settled = 150 * (1 - exp(-11.0))
        #expect(abs(t.riseK - settled) < 1e-6 && abs(150 - t.riseK) < 3e-3)
        t.cool(seconds: 100)
        #expect(abs(t.riseK - settled * exp(-1)) < 1e-6)
        #expect(abs(t.peakRiseK - settled) < 1e-6)
    }

    @Test func backEMFAndTheDriverLimitSetTheCurrent() {
        // At full duty stalled the model asks 2 A, the driver gives 1.5 A.
        #expect(WindingTemperature.current(duty: 1, armVelocityRadPerS: 0, handMotor) == 1.5)
        // Running at the no-load speed of duty 0.5 (V = 6 V = k_e·G·ω ⇒ ω = 30 rad/s) draws nothing.
        #expect(abs(WindingTemperature.current(duty: 0.5, armVelocityRadPerS: 30, handMotor)) < 1e-12)
        // Reversing against the motion (plugging) draws more than stalled.
        #expect(WindingTemperature.current(duty: -0.5, armVelocityRadPerS: 30, handMotor) == -1.5)
        var idle = WindingTemperature()
        idle.advance(duty: 0.5, armVelocityRadPerS: 30, seconds: 10, motor: handMotor)
        #expect(idle.riseK < 1e-9)
    }
}
