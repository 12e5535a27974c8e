import Controller
import Foundation
import Testing

/// The homing refusal no twin plant reproduces on its own: a pendulum stuck off-centre that
/// comes free in the probe and settles elsewhere. The state machine alone, fed made-up samples.
struct HomingOffCentreTests {
    /// Runs homing at 100 Hz with the arm at `arm(t)` and the pendulum at `pendulum(t)` (rad, raw)
    /// until it ends or `seconds` pass.
    private func drive(_ homing: inout HomingController, seconds: Double, arm: (Double) -> Double, pendulum: (Double) -> Double) {
        var k = 0
        while Double(k) * 0.01 < seconds, homing.stage != .done, homing.stage != .failed, homing.stage != .timedOut {
            let t = Double(k) * 0.01
            _ = homing.checkEncoders(armAngle: arm(t), rawPendulumAngle: pendulum(t), timeSeconds: t)
            _ = homing.step(armAngle: arm(t), armVelocity: 0, rawPendulumAngle: pendulum(t), timeSeconds: t)
            k += 1
        }
    }

    /// Still at 0.5 rad (stuck against its cable), the probe frees it and it comes to rest 0.3 rad
    /// away: the second rest disagrees with the first, so neither is taken as the zero.
    @Test func aPendulumThatCameFreeInTheProbeIsRefusedAsOffCentre() {
        var homing = HomingController(settings: HomingSettings(), armSoftLimitRad: 2)
        drive(&homing, seconds: 10, arm: { $0 < 0.5 ? 0 : 0.01 }, pendulum: { $0 < 0.52 ? 0.5 : 0.8 })
        #expect(homing.failure == .pendulumOffCentre, "stage \(homing.stage), failure \(String(describing: homing.failure))")
        #expect(homing.failure?.kind == .homingPendulumOffCentre)
    }

    /// The same pendulum hanging freely at 0.5 rad (its rest is where it was still) passes.
    @Test func aPendulumThatRestsWhereItWasStillPasses() {
        var homing = HomingController(settings: HomingSettings(), armSoftLimitRad: 2)
        drive(&homing, seconds: 10, arm: { $0 < 0.5 ? 0 : 0.01 }, pendulum: { $0 < 0.52 ? 0.5 : 0.5 + 0.01 * sin(10 * $0) })
        #expect(homing.stage == .done, "stage \(homing.stage), failure \(String(describing: homing.failure))")
    }

    /// Every refusal says something different (issue 12: each homing failure its own message).
    @Test func everyHomingRefusalHasItsOwnMessage() {
        let kinds: [SafetyEventKind] = [.homingArmOutsideSoftLimit, .homingEncoderImplausible, .homingPendulumNotHanging,
                                        .homingPendulumStuck, .homingPendulumOffCentre, .homingTimedOut]
        let messages = kinds.compactMap(\.homingMessage)
        #expect(messages.count == kinds.count)
        #expect(Set(messages).count == kinds.count)
    }
}
