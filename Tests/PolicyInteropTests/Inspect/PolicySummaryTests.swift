import Foundation
import PolicyFormat
@testable import PolicyInterop
import XCTest

final class PolicySummaryTests: XCTestCase {
    func test_summary_lists_layout_network_normaliser_latency_and_provenance() throws {
        let policy = RandomPolicy.make(seed: 3, hidden: [32, 32], activations: [.tanh, .elu], squash: .tanh, historyLength: 2)
        let summary = PolicySummary(policy: policy)
        XCTAssertEqual(summary.layout.size, 5 + 2 * 6)
        XCTAssertEqual(summary.layers.map(\.activation), ["tanh", "elu", "identity"])
        XCTAssertEqual(summary.parameterCount, 17 * 32 + 32 + 32 * 32 + 32 + 32 + 1)
        XCTAssertEqual(summary.trainedLatency, PolicySummary.Latency(minimumSeconds: 0, maximumSeconds: 0.008))
        XCTAssertEqual(summary.provenance["config_hash"], "abc123")
        XCTAssertFalse(summary.normalizer.isIdentity)
        let text = summary.text
        for part in ["test-robot", "0x123456789abcdef0", "250.0 Hz", "17 → 32 → 32 → 1", "tanh, elu, identity",
                     "0.0…8.0 ms", "config_hash: abc123", "squash tanh", "rehearsal        none"] {
            XCTAssertTrue(text.contains(part), "'\(part)' missing from:\n\(text)")
        }
        let json = try JSONSerialization.jsonObject(with: Data(try summary.json().utf8)) as? [String: Any]
        for key in ["robot", "control_rate_hz", "layout", "layers", "normalizer", "actions", "trained_latency", "provenance", "parameter_count"] {
            XCTAssertNotNil(json?[key], "JSON key \(key) missing")
        }
    }

    func test_rehearsal_record_beside_the_policy_is_found_and_shown() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("final.policy").path
        XCTAssertNil(try PolicySummary.rehearsalRecord(besidePolicy: path))
        try Data(#"{"pass_rate": 0.96, "episodeCount": 50}"#.utf8).write(to: URL(fileURLWithPath: path + ".rehearsal.json"))
        let record = try XCTUnwrap(try PolicySummary.rehearsalRecord(besidePolicy: path))
        let summary = PolicySummary(policy: RandomPolicy.make(seed: 1, hidden: [4], activations: [.relu], squash: .clip),
                                    rehearsalRecord: record.path, rehearsal: record.value)
        XCTAssertTrue(summary.text.contains("pass rate 0.96"), summary.text)
        // The record is shown as stored: its keys are not rewritten.
        let json = try summary.json()
        XCTAssertTrue(json.contains("\"episodeCount\" : 50") && json.contains("\"rehearsal_record\""), json)
        try Data("not json".utf8).write(to: URL(fileURLWithPath: path + ".rehearsal.json"))
        XCTAssertThrowsError(try PolicySummary.rehearsalRecord(besidePolicy: path))
    }
}
