import Testing
import MotorModel

@Suite struct DCMotorTests {
    @Test func stallTorqueFromOhmsLaw() {
        // e = 0.5: V = 6 V, i = 6/6 = 1 A (< 1.5 A limit), τ = 10·0.02·1 = 0.2 N·m
        #expect(abs(motorTorque(effectiveDrive: 0.5, armVelocityRadPerS: 0, handMotor) - 0.2) < 1e-12)
    }

    @Test func backEmfOpposesMotion() {
        // e = 0.5, ω = 10 rad/s: back-EMF = 0.02·10·10 = 2 V, i = (6 − 2)/6 A, τ = 0.2·(4/6)
        let tau = motorTorque(effectiveDrive: 0.5, armVelocityRadPerS: 10, handMotor)
        #expect(abs(tau - 0.2 * 4 / 6) < 1e-12)
        // Unpowered, the motor brakes: τ = −G²·k_t·k_e·ω/R
        let braking = motorTorque(effectiveDrive: 0, armVelocityRadPerS: 3, handMotor)
        #expect(abs(braking - (-handMotor.backEmfDampingNmsPerRad * 3)) < 1e-12)
    }

    @Test func currentLimitSaturatesTorque() {
        // e = 1 at stall: 12/6 = 2 A > 1.5 A → τ = 10·0.02·1.5 = 0.3 N·m
        #expect(abs(motorTorque(effectiveDrive: 1, armVelocityRadPerS: 0, handMotor) - 0.3) < 1e-12)
        #expect(abs(handMotor.stallTorqueNm - 0.3) < 1e-12)
    }

    @Test func derivedNoLoadSpeed() {
        // ω₀ = V_s/(k_e·G) = 12/(0.02·10) = 60 rad/s, where the unlimited current would be zero.
        #expect(abs(handMotor.noLoadSpeedRadPerS - 60) < 1e-12)
        #expect(abs(motorTorque(effectiveDrive: 1, armVelocityRadPerS: 60, handMotor)) < 1e-12)
    }
}
