import Foundation
import Testing
import MotorModel

@Suite struct RobotParametersTests {
    static func robot(pendulumMass: Double = 0.024) -> RobotParameters {
        RobotParameters(
            name: "t",
            arm: LinkParameters(massKg: 0.1, lengthM: 0.1, comDistanceM: 0.05, inertiaAboutComKgM2: 1e-4,
                                encoderCountsPerRevolution: 4096),
            pendulum: LinkParameters(massKg: pendulumMass, lengthM: 0.12, comDistanceM: 0.06,
                                     inertiaAboutComKgM2: pendulumMass * 0.12 * 0.12 / 12,
                                     encoderCountsPerRevolution: 8192),
            motor: handMotor, control: ControlParameters(rateHz: 100, latencyS: 0.004, physicsTimestepS: 0.002))
    }

    @Test func uniformRodNaturalFrequency() {
        // Uniform rod about its end: ω = √(3g/2L)
        let expected = (3 * 9.81 / (2 * 0.12)).squareRoot()
        #expect(abs(Self.robot().pendulumNaturalFrequencyRadPerS - expected) < 1e-12)
    }

    @Test func identityChangesWithPhysicsNotName() {
        var renamed = Self.robot()
        renamed.name = "other"
        #expect(renamed.identity == Self.robot().identity)
        #expect(Self.robot(pendulumMass: 0.025).identity != Self.robot().identity)
    }

    @Test func substepsPerControlStep() {
        #expect(Self.robot().control.substepsPerControlStep == 5)
    }
}
