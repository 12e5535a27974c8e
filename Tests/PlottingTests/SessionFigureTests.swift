import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Plotting

/// `furuta plot DIR` of a robot training session: per episode over robot time, with the
/// policies that ran them marked.
@Suite struct SessionFigureTests {
    static let state = """
        {"episodes": [
          {"index": 1, "policy": "candidate-000001.policy", "longest_upright_s": 0.5, "running_s": 10.0, "success": false},
          {"index": 2, "policy": "candidate-000001.policy", "longest_upright_s": 2.0, "running_s": 8.0, "success": false},
          {"index": 3, "policy": "candidate-000004.policy", "longest_upright_s": 7.5, "running_s": 10.0, "success": true}]}
        """

    private func texts(_ svg: String) throws -> [String] {
        let document = try XMLDocument(data: Data(svg.utf8))
        return try document.nodes(forXPath: "//*[local-name()='text']").compactMap(\.stringValue)
    }

    @Test func aSessionFolderShowsReturnUprightAndSuccessOverRobotTimeWithPolicyChanges() throws {
        let dir = try FigureFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.state.write(to: dir.appendingPathComponent("session.json"), atomically: true, encoding: .utf8)
        var asked: URL?
        let figure = try PlotInput.figure(for: [dir], sessionReturns: { folder in
            asked = folder
            return [1: -40, 2: -12.5, 3: 85]
        })
        #expect(asked == dir)
        #expect(figure.panels.count == 3)
        #expect(figure.panels.allSatisfy { $0.xLabel == "robot time (s)" })
        #expect(figure.subtitle.contains("3 episodes, 1 successful") && figure.subtitle.contains("28 s of robot time"))
        let labels = try texts(figure.svg())
        // Each policy change is marked on each panel: candidate 1 at the first episode, 4 at the third.
        #expect(labels.filter { $0 == "policy 1" }.count == 3)
        #expect(labels.filter { $0 == "policy 4" }.count == 3)
        #expect(labels.contains("upright (s)") && labels.contains("return") && labels.contains("success (%)"))
        // The return line passes through each episode's return at its end in robot time.
        guard case .line(_, _, let x, let y, _, _) = figure.panels[0].marks.first(where: {
            if case .line = $0 { return true } else { return false }
        }) else { Issue.record("no return line"); return }
        #expect(x == [10, 18, 28])
        #expect(y == [-40, -12.5, 85])
    }

    @Test func aSessionWithoutEpisodesIsRefusedByName() throws {
        let dir = try FigureFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"episodes": []}"#.write(to: dir.appendingPathComponent("session.json"), atomically: true, encoding: .utf8)
        #expect(throws: PlotError.noData(dir.lastPathComponent + "/session.json")) { try PlotInput.figure(for: [dir]) }
    }

    @Test func aReportFolderWithoutReplaysSaysToFitAgain() throws {
        let dir = try FigureFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "{}".write(to: dir.appendingPathComponent("report.json"), atomically: true, encoding: .utf8)
        #expect { try PlotInput.figure(for: [dir]) } throws: { "\($0)".contains("fit again") }
    }
}
