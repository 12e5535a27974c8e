import Testing
import MotorModel

@Suite struct DriveNonlinearityTests {
    @Test func handComputedEffectiveDrive() {
        // u = 0.5: u_b = 0.55, u_d = (0.55 − 0.1)/0.9 = 0.5, η₊ = 1 → 0.5
        #expect(abs(effectiveDrive(duty: 0.5, handMotor) - 0.5) < 1e-12)
        // u = −0.5: u_b = −0.45, u_d = −(0.45 − 0.1)/0.9 = −0.38889, η₋ = 0.8 → −0.31111
        #expect(abs(effectiveDrive(duty: -0.5, handMotor) - (-0.35 / 0.9 * 0.8)) < 1e-12)
    }

    @Test func dutyInsideDeadzoneMovesNothing() {
        for u in stride(from: -0.15, through: 0.05, by: 0.01) {
            #expect(effectiveDrive(duty: u, handMotor) == 0, "duty \(u)")
        }
    }

    @Test func dutyIsSaturated() {
        #expect(effectiveDrive(duty: 5, handMotor) == effectiveDrive(duty: 1, handMotor))
        #expect(effectiveDrive(duty: -5, handMotor) == effectiveDrive(duty: -1, handMotor))
    }

    @Test func compensationThenDriveIsIdentityOutsideDeadzone() {
        // Every action whose compensated duty needs no clamp must come out unchanged.
        var checked = 0
        for i in -1000...1000 {
            let a = Double(i) / 1000 * 0.75
            let duty = compensatedDuty(action: a, handMotor)
            #expect(abs(duty) < 1)
            #expect(abs(effectiveDrive(duty: duty, handMotor) - a) < 1e-12, "action \(a)")
            checked += 1
        }
        #expect(checked == 2001)
    }

    @Test func zeroActionCancelsTheBias() {
        let duty = compensatedDuty(action: 0, handMotor)
        #expect(duty == -handMotor.bias)
        #expect(effectiveDrive(duty: duty, handMotor) == 0)
    }

    @Test func nonFiniteActionGivesZeroDuty() {
        #expect(compensatedDuty(action: .nan, handMotor) == 0)
        #expect(compensatedDuty(action: .infinity, handMotor) == 0)
    }

    @Test func compensatedDutyStaysWithinLimits() {
        for a in [-10.0, -1, 1, 10] {
            #expect(abs(compensatedDuty(action: a, handMotor)) <= 1)
        }
    }
}
