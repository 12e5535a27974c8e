import Foundation
import Plotting
import RobotDescription
import Testing
@testable import Trainer

/// `furuta sysid fit --report DIR` leaves, beside each recording's SVG, the replays as CSV, and
/// `furuta plot DIR` draws them: recorded vs nominal vs tuned angles, loss before and after.
@Suite struct FitReportPlotTests {
    @Test func theReportsReplaysPlotRecordedAgainstNominalAndTuned() throws {
        let description = try SyntheticRecording.description()
        var truth = description.parameters
        let torque = FittableParameters.named("motor.torque_constant_nm_per_a")!
        torque.set(torque.value(in: truth) * 1.2, in: &truth)
        let path = try SyntheticRecording.write(SyntheticRecording.make(truth: truth, recordedAs: description.parameters,
                                                                         mjcfPath: description.mjcfPath, seconds: 3))
        defer { unlink(path) }
        var request = SystemIdentification.FitRequest(description: description, recordingPaths: [path])
        request.parameterItems = ["motor.torque_constant_nm_per_a"]
        request.options.maxGenerations = 0
        request.options.timeBudgetSeconds = 60
        request.threads = 2
        let outcome = try SystemIdentification.fit(request)
        let directory = NSTemporaryDirectory() + "furuta-report-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FitReport.write(outcome, recordingPaths: [path], nominal: description.parameters, to: directory)

        let name = "fit-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let table = try CSVTable(contentsOf: URL(fileURLWithPath: directory + "/" + name + ".csv"))
        #expect(table.rowCount == outcome.pool.data[0].times.count)
        // The tuned replay follows the recording more closely than the nominal one.
        func rms(_ a: [Double], _ b: [Double]) -> Double {
            let d = zip(a, b).map { $0 - $1 }.filter(\.isFinite)
            return (d.map { $0 * $0 }.reduce(0, +) / Double(max(d.count, 1))).squareRoot()
        }
        let recorded = table.numbers("recorded_arm_rad")
        #expect(rms(table.numbers("tuned_arm_rad"), recorded) < rms(table.numbers("nominal_arm_rad"), recorded) / 2)

        let figure = try PlotInput.figure(for: [URL(fileURLWithPath: directory)])
        #expect(figure.panels.count == 2)
        #expect(figure.panels.map(\.yLabel) == ["arm θ (rad)", "pendulum α (rad)"])
        #expect(figure.subtitle.contains("loss") && figure.subtitle.contains("→"))
        let svg = figure.svg()
        for legend in ["recorded", "nominal robot.yaml", "tuned"] { #expect(svg.contains(">\(legend)<"), "\(legend)") }
    }
}
