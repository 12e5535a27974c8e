import Foundation
import MotorModel
import RobotDescription
import RobotRecording
import Testing
@testable import Trainer

/// The whole fit (CMA-ES, parallel replay, identifiability, tuned file) on recordings whose true
/// robot is known exactly.
struct ParameterFitTests {
    static let perturbation: [String: Double] = [
        "pendulum.mass_kg": 0.85, "motor.torque_constant_nm_per_a": 1.2, "motor.deadzone": 1.25, "motor.friction.coulomb_nm": 1.25,
    ]

    static func truth(_ nominal: RobotParameters) -> RobotParameters {
        var robot = nominal
        for (key, factor) in perturbation {
            let p = FittableParameters.named(key)!
            p.set(p.value(in: robot) * factor, in: &robot)
        }
        return robot
    }

    @Test func fitRecoversPerturbedParametersOfASyntheticRecording() throws {
        let description = try SyntheticRecording.description()
        let truth = Self.truth(description.parameters)
        let path = try SyntheticRecording.write(SyntheticRecording.make(truth: truth, recordedAs: description.parameters,
                                                                         mjcfPath: description.mjcfPath, seconds: 6))
        defer { unlink(path) }
        var request = SystemIdentification.FitRequest(description: description, recordingPaths: [path])
        request.parameterItems = Self.perturbation.keys.sorted()
        request.options.maxGenerations = 80
        request.options.timeBudgetSeconds = 120
        request.threads = 2
        let outcome = try SystemIdentification.fit(request)
        #expect(outcome.fit.loss < outcome.fit.nominalLoss / 20, "loss \(outcome.fit.nominalLoss) → \(outcome.fit.loss)")
        let identifiable = outcome.identifiability.entries.filter(\.identifiable)
        #expect(identifiable.count >= 3, "\(outcome.identifiability.entries.map { ($0.key, $0.reason ?? "ok") })")
        for entry in identifiable {
            let trueValue = FittableParameters.named(entry.key)!.value(in: truth)
            #expect(abs(entry.value / trueValue - 1) <= 0.05, "\(entry.key): fitted \(entry.value), true \(trueValue)")
        }
        // The tuned file is a valid description carrying the fitted values, marked.
        let tuned = try RobotDescription.parse(outcome.tunedText, file: description.sourcePath)
        for entry in outcome.identifiability.entries {
            let written = FittableParameters.named(entry.key)!.value(in: tuned.parameters)
            #expect(abs(written / entry.value - 1) < 1e-5)
        }
        #expect(outcome.tunedText.components(separatedBy: "# sysid: fitted, was").count - 1 == Self.perturbation.count)
        // Written anywhere, it still finds the MJCF and accepts the recording it was fitted to.
        let elsewhere = NSTemporaryDirectory() + "furuta-tuned-\(UUID().uuidString).yaml"
        try outcome.tunedText.write(toFile: elsewhere, atomically: true, encoding: .utf8)
        defer { unlink(elsewhere) }
        let (validation, _) = try SystemIdentification.validate(description: RobotDescription.load(from: elsewhere), recordingPath: path)
        // (The file carries 6 significant digits, so the loss matches to a fraction of a percent.)
        #expect(abs(validation.loss / outcome.fit.loss - 1) < 0.01, "\(validation.loss) vs \(outcome.fit.loss)")
    }
}
