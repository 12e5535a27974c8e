import Controller
import MotorModel
import Testing

/// `DriveOffsetFallback` alone: when it engages, what its dither does to a drive whose deadzone
/// and bias differ from what the controller compensates, and its integral's clamp.
struct DriveOffsetFallbackTests {
    private let nominal = try! ControllerFixtures.robot().parameters.motor

    /// A robot's drive (deadzone `d`, bias `b`) behind the controller's nominal compensation:
    /// the effective drive a commanded action a ends up as.
    private func delivered(_ a: Double, deadzone d: Double, bias b: Double) -> Double {
        var actual = nominal
        actual.deadzone = d
        actual.bias = b
        return effectiveDrive(duty: compensatedDuty(action: a, nominal), actual)
    }

    /// Without the dither a small demand is a relay (smaller deadzone: a jump of 2·δ at a = 0)
    /// or swallowed (larger deadzone): the delivered drive's error from the demand changes by
    /// 0.008–0.04 across small demands. With it the two-period mean is the demand plus a
    /// near-constant error (what a bias leaves), which the integral action then removes: its
    /// spread over the small demands shrinks to under a tenth.
    @Test func theDitherTurnsADeadzoneTheCompensationGotWrongIntoAConstantOffset() {
        let dither = DriveOffsetFallback.Settings().ditherAction
        for (d, b) in [(0.04, 0.005), (0.08, 0.005), (0.06, 0.015), (0.044, -0.001), (0.079, 0.015), (0.045, 0.005)] {
            var plain: [Double] = [], dithered: [Double] = []
            for a in stride(from: -0.03, through: 0.03, by: 0.0025) where abs(a) > 1e-9 {
                plain.append(delivered(a, deadzone: d, bias: b) - a)
                dithered.append((delivered(a + dither, deadzone: d, bias: b) + delivered(a - dither, deadzone: d, bias: b)) / 2 - a)
            }
            let spread = { (e: [Double]) in e.max()! - e.min()! }
            print(String(format: "deadzone %.3f bias %.3f: error spread %.4f without the dither, %.4f with it", d, b, spread(plain), spread(dithered)))
            #expect(spread(plain) >= 0.008, "deadzone \(d), bias \(b): the nominal compensation's error spreads only \(spread(plain))")
            #expect(spread(dithered) <= 0.1 * spread(plain), "deadzone \(d), bias \(b): \(spread(dithered)) vs \(spread(plain))")
        }
    }

    /// Nothing changes while the swing is large, nor in the first 2 s of a small one (the nominal
    /// law's own end); then dither of alternating sign, the friction share, and the integral.
    @Test func itEngagesOnlyAfterTheSwingHasBeenSmallForItsDelayAndItsIntegralIsClamped() {
        var fallback = DriveOffsetFallback(settings: .init())
        var t = 0.0
        for _ in 0..<300 { // 3 s of a large swing
            let out = fallback.update(swingRad: 0.5, armAngle: 0.2, timeSeconds: t)
            #expect(out.armAcceleration == 0 && out.frictionScale == 1 && out.dither == 0)
            t += 0.01
        }
        for _ in 0..<195 { // just under 2 s of a small one
            _ = fallback.update(swingRad: 0.1, armAngle: 0.2, timeSeconds: t)
            t += 0.01
        }
        #expect(!fallback.engaged)
        t += 0.1
        let first = fallback.update(swingRad: 0.1, armAngle: 0.2, timeSeconds: t + 0.01)
        let second = fallback.update(swingRad: 0.1, armAngle: 0.2, timeSeconds: t + 0.02)
        #expect(fallback.engaged)
        #expect(first.dither == -second.dither && abs(first.dither) == 0.08)
        #expect(first.frictionScale == 0.7)
        #expect(second.armAcceleration < first.armAcceleration && first.armAcceleration <= 0, "pushes the arm at +0.2 rad back")
        t += 0.02
        for _ in 0..<1000 { // an arm held out for 10 s: the integral stops at its clamp
            _ = fallback.update(swingRad: 0.1, armAngle: 0.2, timeSeconds: t)
            t += 0.01
        }
        let held = fallback.update(swingRad: 0.1, armAngle: 0.2, timeSeconds: t)
        #expect(held.armAcceleration == -10)
        // A large swing again freezes the integral (it does not wind up on the damping's motion).
        let swinging = fallback.update(swingRad: 0.5, armAngle: -0.5, timeSeconds: t + 0.01)
        #expect(swinging.armAcceleration == -10)
    }
}
