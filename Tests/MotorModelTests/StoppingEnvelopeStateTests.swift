import Testing
import MotorModel

/// The envelope's own state, as the simulator uses it between episodes and in checkpoints (its
/// braking guarantees are proven against the controller's loop in ControllerTests).
@Suite struct StoppingEnvelopeStateTests {
    private let limits = StoppingEnvelopeLimits(armSoftLimitRad: 2.0, arm: ArmDynamics(inertiaKgM2: 3.9e-4, motor: handMotor))

    /// An arm at 1.5 rad moving out at 20 rad/s: its predicted stop is past 2 rad.
    private func fastOutward() -> StoppingEnvelope {
        var envelope = StoppingEnvelope(limits: limits, periodSeconds: 0.01)
        envelope.observe(angle: 1.3, deviceMicroseconds: 0)
        envelope.observe(angle: 1.5, deviceMicroseconds: 10_000)
        return envelope
    }

    @Test func aFastOutwardArmIsBrakedAndAnUnknownOneIsNot() {
        let envelope = fastOutward()
        #expect(abs(envelope.velocity - 20) < 1e-9)
        let (duty, action) = envelope.decide(duty: 0.8)
        #expect(action == .braking)
        #expect(duty == -limits.dutyLimit)
        let unknown = StoppingEnvelope(limits: limits, periodSeconds: 0.01)
        #expect(unknown.decide(duty: 0.8) == (0.8, EnvelopeAction.none))
    }

    @Test func resetForgetsTheArm() {
        var envelope = fastOutward()
        envelope.reset()
        #expect(!envelope.isKnown)
        #expect(envelope.decide(duty: 0.8).action == EnvelopeAction.none)
        // One sample after the reset is not enough for a velocity (no Δt across the reset).
        envelope.observe(angle: 1.9, deviceMicroseconds: 20_000)
        #expect(!envelope.isKnown)
    }

    @Test func aRestoredStateDecidesAsTheOriginal() {
        let original = fastOutward()
        var copy = StoppingEnvelope(limits: limits, periodSeconds: 0.01)
        copy.restore(original.state)
        #expect(copy.state == original.state)
        for duty in stride(from: -1.0, through: 1.0, by: 0.25) {
            #expect(copy.decide(duty: duty) == original.decide(duty: duty))
        }
    }
}
