import Controller
import Foundation
import MotorModel
import Testing

/// The excitation signals, and the soft-limit prediction that vets them before the motor moves.
struct ExcitationTests {
    let robot = try! ControllerFixtures.robot().parameters

    @Test func prbsIsAMaximalLengthSequence() {
        var settings = ExcitationSettings(kind: .prbs, amplitude: 0.2, robot: robot)
        settings.centringProportional = 0
        settings.centringDerivative = 0
        var signal = ExcitationSignal(settings: settings, durationSeconds: 1000)
        // Bits are read mid-interval, past the taper; a 9-bit m-sequence has 256 ones in 511.
        let bits = (0..<1022).map { k in signal.action(t: 2 + (Double(k) + 0.5) * settings.bitSeconds, armAngle: 0, armVelocity: 0, pendulumAngle: 0) > 0 }
        #expect(bits.prefix(511).filter { $0 }.count == 256)
        #expect(Array(bits.prefix(511)) == Array(bits.suffix(511)))
        // Every non-zero 9-bit window appears once per period.
        var windows = Set<Int>()
        for shift in 0..<511 {
            var word = 0
            for bit in bits[shift..<(shift + 9)] { word = word << 1 | (bit ? 1 : 0) }
            windows.insert(word)
        }
        #expect(windows.count == 511)
    }

    @Test func chirpSweepsFromTheStartToTheEndFrequency() {
        var settings = ExcitationSettings(kind: .chirp, amplitude: 0.3, robot: robot)
        settings.centringProportional = 0
        settings.centringDerivative = 0
        var signal = ExcitationSignal(settings: settings, durationSeconds: 20)
        // Instantaneous frequency f(t) = f0 + (f1 − f0)·t/T: count zero crossings in 1 s windows.
        func crossings(from t0: Double) -> Int {
            var count = 0, previous = signal.action(t: t0, armAngle: 0, armVelocity: 0, pendulumAngle: 0)
            for k in 1...10_000 {
                let a = signal.action(t: t0 + Double(k) * 1e-4, armAngle: 0, armVelocity: 0, pendulumAngle: 0)
                if (a > 0) != (previous > 0) { count += 1 }
                previous = a
            }
            return count
        }
        #expect(abs(crossings(from: 2) - Int(2 * (1 + 7 * 2.5 / 20))) <= 1) // f(2.5 s) = 1.875 Hz
        #expect(abs(crossings(from: 17) - Int(2 * (1 + 7 * 17.5 / 20))) <= 1) // f(17.5 s) = 7.125 Hz
        #expect(abs(signal.action(t: 0, armAngle: 0, armVelocity: 0, pendulumAngle: 0)) < 1e-12) // tapered in
    }

    @Test func centringTermPullsTheArmBackToTheMiddle() {
        var signal = ExcitationSignal(settings: ExcitationSettings(kind: .steps, amplitude: 0.25, robot: robot), durationSeconds: 10)
        // Step level 0 at t in [0.8, 1.6): only the centring term −k_p·θ − k_d·θ̇ acts.
        #expect(abs(signal.action(t: 1.0, armAngle: 0.4, armVelocity: 0, pendulumAngle: 0) - (-0.2)) < 1e-12)
        #expect(abs(signal.action(t: 0.1, armAngle: 0, armVelocity: 0, pendulumAngle: 0) - 0.25) < 1e-12)
    }

    /// Near the centre the pull would be compensated to ±deadzone duty flipping every tick
    /// (chatter the frozen-encoder check reads as stale counts): below the deadband it is 0.
    @Test func centringPullBelowTheDeadbandIsDropped() {
        var signal = ExcitationSignal(settings: ExcitationSettings(kind: .steps, amplitude: 0.25, robot: robot), durationSeconds: 10)
        #expect(signal.action(t: 1.0, armAngle: 0.01, armVelocity: 0.1, pendulumAngle: 0) == 0) // |−0.005 − 0.003| < 0.02
        #expect(signal.action(t: 1.0, armAngle: -0.01, armVelocity: 0, pendulumAngle: 0) == 0)
        #expect(abs(signal.action(t: 1.0, armAngle: 0.05, armVelocity: 0, pendulumAngle: 0) - (-0.025)) < 1e-12)
    }

    @Test func releasePumpsUntilTheSwingIsLargeThenLetsGo() {
        var signal = ExcitationSignal(settings: ExcitationSettings(kind: .release, amplitude: 0.3, robot: robot), durationSeconds: 30)
        #expect(signal.action(t: 0.05, armAngle: 0, armVelocity: 0, pendulumAngle: 0.1) != 0)
        #expect(signal.releaseStage == .pumping)
        #expect(signal.action(t: 1.0, armAngle: 0.3, armVelocity: 1, pendulumAngle: 1.1) == 0) // past 1 rad: released
        #expect(signal.releaseStage == .free)
        #expect(signal.action(t: 3.0, armAngle: 0.3, armVelocity: 1, pendulumAngle: -0.4) == 0) // free swing: no drive
        _ = signal.action(t: 6.1, armAngle: 0.3, armVelocity: 0, pendulumAngle: 0)
        #expect(signal.releaseStage == .recentring)
        #expect(signal.action(t: 6.2, armAngle: 0.3, armVelocity: 0, pendulumAngle: 0) < 0) // centring
    }

    @Test func defaultAmplitudesStayInsideTheSoftLimitsOfTheShippedRobot() {
        let allowed = robot.arm.softLimitRad - SafetyLimits(robot: robot).armHysteresisRad
        for kind in ExcitationKind.allCases {
            let peak = SoftLimitPrediction.predict(ExcitationSettings(kind: kind, robot: robot), durationSeconds: 30, robot: robot)
            #expect(peak.peakArmAngleRad > 0.05, "\(kind) hardly moves the arm: \(peak)")
            #expect(peak.peakArmAngleRad < allowed, "\(kind): \(peak)")
        }
    }

    @Test func excitationThatWouldCrossTheSoftLimitsIsRefusedBeforeAnyIO() throws {
        // The port does not exist: a refusal must come before anything is opened.
        let settings = ExcitationSettings(kind: .steps, amplitude: 1.0, robot: robot)
        let configuration = CaptureConfiguration(port: .path("/nonexistent/port"), excitation: settings, durationSeconds: 10,
                                                 outputPath: ControllerFixtures.temporaryPath("never.rec"), robot: robot)
        do {
            _ = try CaptureSession(configuration: configuration, robot: robot)
            Issue.record("a full-amplitude step excitation was accepted")
        } catch {
            guard case let .wouldCrossSoftLimits(_, _, predicted, _, allowed, safe) = error else { Issue.record("\(error)"); return }
            #expect(predicted > allowed)
            #expect(safe > 0 && safe < 1)
            #expect(error.description.contains("--amplitude"))
            // The suggested amplitude passes.
            var safer = configuration
            safer.excitation.amplitude = safe
            _ = try CaptureSession(configuration: safer, robot: robot)
        }
    }
}
