import Foundation
import Testing
import MotorModel

@Suite struct FrictionTests {
    let f = handMotor.friction

    @Test func handComputedValues() {
        // ω = 0.5 = ω_s: level = 0.01 + 0.01·e⁻¹; tanh(10) ≈ 1; viscous 0.0005
        let expected = -(0.01 + 0.01 * exp(-1.0)) * tanh(10.0) - 0.001 * 0.5
        #expect(abs(frictionTorque(velocityRadPerS: 0.5, f) - expected) < 1e-15)
        #expect(frictionTorque(velocityRadPerS: 0, f) == 0)
    }

    @Test func isOddSymmetric() {
        for i in 0...400 {
            let w = Double(i) * 0.01
            #expect(frictionTorque(velocityRadPerS: -w, f) == -frictionTorque(velocityRadPerS: w, f))
        }
    }

    @Test func isContinuousThroughZero() {
        // Largest jump between neighbouring samples 1e-6 rad/s apart must be tiny: the slope near
        // zero is F_s/ω_ε = 0.4 N·m·s/rad, so 1e-6 rad/s moves it by at most ~4e-7 N·m.
        var worst = 0.0
        var previous = frictionTorque(velocityRadPerS: -1e-3, f)
        for i in -999...1000 {
            let value = frictionTorque(velocityRadPerS: Double(i) * 1e-6, f)
            worst = max(worst, abs(value - previous))
            previous = value
        }
        #expect(worst < 1e-6)
    }

    @Test func stribeckPeakAboveCoulombLevel() {
        // Just past the smoothing zone friction is near F_s; far beyond ω_s it falls to F_c.
        let low = -frictionTorque(velocityRadPerS: 0.2, f) - 0.001 * 0.2
        let high = -frictionTorque(velocityRadPerS: 5, f) - 0.001 * 5
        #expect(low > 0.017)
        #expect(abs(high - 0.01) < 1e-6)
    }
}
