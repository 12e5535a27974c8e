import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Plotting

@Suite struct FigureTests {
    /// The SVG parses as XML, and its text elements (labels, titles, legend).
    private func texts(_ svg: String) throws -> [String] {
        let document = try XMLDocument(data: Data(svg.utf8))
        return try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
    }

    private func count(_ element: String, in svg: String) -> Int { svg.components(separatedBy: "<\(element) ").count - 1 }

    @Test func aRunFolderGivesReturnAndSuccessWithUnits() throws {
        let dir = try FigureFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FigureFixtures.metrics(seed: 1).write(to: dir.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        let figure = try PlotInput.figure(for: [dir])
        let svg = figure.svg()
        let labels = try texts(svg)
        #expect(labels.contains("environment steps (millions)"))
        #expect(labels.contains("success (%)"))
        #expect(labels.contains("episode return"))
        #expect(count("circle", in: svg) >= 4) // four evaluations, plus the legend's dot
        #expect(figure.panels.count == 2)
    }

    /// Ten-second episodes end in few rollouts; the rest leave the return cell empty. The curve
    /// joins the rollouts that ended one (a NaN in a line would break it into dots and gaps).
    @Test func returnsOfRareEndedRolloutsAreJoinedIntoOneCurve() throws {
        var rows = ["iteration,env_steps,mean_episode_return,eval_success_rate"]
        for i in 1...40 { rows.append("\(i),\(i * 8192),\(i % 7 == 0 ? String(i * 10) : ""),\(i % 10 == 0 ? "0.5" : "")") }
        let figure = try LearningCurveFigure.make(runs: [.init(name: "r", metrics: CSVTable(text: rows.joined(separator: "\n") + "\n"))],
                                                  title: "t")
        let lines = figure.panels[0].marks.compactMap { mark -> [Double]? in
            if case .line(_, _, _, let y, _, _) = mark { return y } else { return nil }
        }
        #expect(lines == [[70, 140, 210, 280, 350]])
    }

    @Test func aFolderOfSeedsShowsTheirMeanAndSpread() throws {
        let dir = try FigureFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        for seed in 1...3 {
            let run = dir.appendingPathComponent("seed-\(seed)")
            try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
            try FigureFixtures.metrics(seed: seed).write(to: run.appendingPathComponent("metrics.csv"), atomically: true, encoding: .utf8)
        }
        let svg = try PlotInput.figure(for: [dir]).svg()
        let labels = try texts(svg)
        #expect(labels.contains("min–max over 3 seeds"))
        #expect(labels.contains("mean over seeds"))
        #expect(labels.contains("seed-1") && labels.contains("seed-3"))
        #expect(count("polygon", in: svg) == 2) // one band per panel
    }

    @Test func aDeploymentLogMarksPhasesLimitsEventsAndJitter() throws {
        let dir = try FigureFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("run.csv")
        try FigureFixtures.deploymentLog().write(to: log, atomically: true, encoding: .utf8)
        try #"{"safety_events": [{"kind": "arm_velocity_limit", "time_s": 5.5, "value": 31.0, "is_fault": true}]}"#
            .write(to: dir.appendingPathComponent("run.json"), atomically: true, encoding: .utf8)
        let figure = try PlotInput.figure(for: [log])
        let labels = try texts(figure.svg())
        #expect(figure.panels.map(\.title).contains("Motor duty"))
        #expect(labels.contains("angle (rad)") && labels.contains("duty (−1…1)") && labels.contains("wake-up latency (µs)"))
        #expect(labels.contains("homing") && labels.contains("safe stop") && labels.contains("safety limit active"))
        #expect(labels.filter { $0 == "arm velocity limit" }.count == 2) // on the angle and the duty panel
        #expect(labels.contains { $0.hasPrefix("p99 ") })
        #expect(figure.subtitle.contains("fault: arm_velocity_limit"))
    }

    @Test func anUnknownCSVIsRefusedWithWhatWasExpected() throws {
        let dir = try FigureFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("other.csv")
        try "a,b\n1,2\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: PlotError.unknownInput(file.path)) { try PlotInput.figure(for: [file]) }
    }

    @Test func pngIsRenderedAtTheFigureSize() throws {
        let dir = try FigureFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let log = dir.appendingPathComponent("run.csv")
        try FigureFixtures.deploymentLog().write(to: log, atomically: true, encoding: .utf8)
        let figure = try PlotInput.figure(for: [log])
        let png = try PNGConverter.png(fromSVG: figure.svg())
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        let bytes = [UInt8](png)
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == Int(figure.width) && height == Int(figure.height))
    }
}
