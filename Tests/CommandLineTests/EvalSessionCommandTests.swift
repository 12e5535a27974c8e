import Foundation
import Testing

/// `furuta eval --session DIR`: every candidate of a training session and its latest.policy,
/// scored on the simulator.
@Suite struct EvalSessionCommandTests {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    @Test func everyCandidateAndTheLatestPolicyAreScoredOnTheSameEpisodes() throws {
        let folder = NSTemporaryDirectory() + "eval-session-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/candidates", withIntermediateDirectories: true)
        let fixture = Self.packageRoot.appendingPathComponent("Tests/ControllerTests/Fixtures/swingup.policy").path
        for path in ["/candidates/candidate-000001.policy", "/candidates/candidate-000002.policy", "/latest.policy"] {
            try FileManager.default.copyItem(atPath: fixture, toPath: folder + path)
        }
        let robot = Self.packageRoot.appendingPathComponent("assets/furuta/robot.yaml").path
        let result = try BuiltBinaries.run("furuta", ["eval", "--session", folder, "--episodes", "3", "--robot", robot, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { ($0["policy"] as? String).map { ($0 as NSString).lastPathComponent } }
                == ["candidate-000001.policy", "candidate-000002.policy", "latest.policy"])
        let results = entries.compactMap { $0["result"] as? [String: Any] }
        #expect(results.count == 3 && results.allSatisfy { $0["episodes"] as? Int == 3 })
        // The same policy on the same seeded episodes scores the same.
        let rates = results.compactMap { $0["success_rate"] as? Double }
        #expect(rates.count == 3 && Set(rates).count == 1, "\(results)")
        #expect(rates.first == 1, "the fixture swings up and balances on the nominal robot: \(results)")
    }

    @Test func aFolderWithoutPoliciesIsRefusedWithWhatItLacks() throws {
        let folder = NSTemporaryDirectory() + "eval-empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let result = try BuiltBinaries.run("furuta", ["eval", "--session", folder, "--episodes", "1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no candidates/candidate-N.policy and no latest.policy"), "\(result.stderr)")
    }
}
