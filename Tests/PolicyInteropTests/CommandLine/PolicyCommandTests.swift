import Foundation
import XCTest

/// `furuta policy import | show | infer | export-onnx` as a user runs them (the built binary).
final class PolicyCommandTests: XCTestCase {
    private var furuta: String {
        // The test runner lives in the bin directory that also holds the products.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("furuta").path) {
            dir = dir.deletingLastPathComponent()
        }
        return dir.path == "/" ? TestSupport.packageRoot.appendingPathComponent(".build/debug/furuta").path
            : dir.appendingPathComponent("furuta").path
    }

    private func fixture(_ name: String) -> String { TestSupport.fixtures.appendingPathComponent(name).path }

    private func run(_ arguments: [String]) throws -> TestSupport.Output {
        try TestSupport.run(furuta, ["policy"] + arguments)
    }

    func test_imported_policy_runs_in_infer_shows_and_exports_to_onnx() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("ppo.policy").path

        let imported = try run(["import", fixture("sb3_ppo.zip"), "--vec-normalize", fixture("sb3_ppo.vecnormalize.pkl"),
                                "--out", policy, "--trained-latency-ms", "0,8"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue(imported.stdout.contains("stable-baselines3 ppo actor 5 → 16 → 16 → 1"), imported.stdout)

        // infer: header line in, header line out, the library's actions within 1e-5.
        let csv = "theta,dtheta,sin_alpha,cos_alpha,dalpha\n"
            + (try String(contentsOfFile: fixture("sb3_ppo.observations.csv"), encoding: .utf8))
        let csvPath = dir.appendingPathComponent("obs.csv").path
        try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
        let inferred = try run(["infer", policy, "--inputs", csvPath])
        XCTAssertEqual(inferred.status, 0, inferred.stderr)
        let lines = inferred.stdout.split(separator: "\n")
        XCTAssertEqual(lines.first, "action_0")
        let ours = lines.dropFirst().map { Float($0)! }
        let expected = try TestSupport.csv("sb3_ppo.actions.csv").map { $0[0] }
        XCTAssertEqual(ours.count, expected.count)
        XCTAssertLessThanOrEqual(zip(ours, expected).map { abs($0 - $1) }.max()!, 1e-5)

        // show --json.
        let shown = try run(["show", policy, "--json"])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["provenance"] as? [String: String])?["imported_from"], "stable-baselines3")
        XCTAssertEqual((json["trained_latency"] as? [String: Double])?["maximum_seconds"], 0.008)
        XCTAssertEqual((json["layout"] as? [String: Any])?["size"] as? Int, 5)
        XCTAssertEqual((json["robot"] as? [String: String])?["name"], "furuta-desktop")

        // export-onnx, then ONNX Runtime on the same CSV rows equals infer's output.
        let onnx = dir.appendingPathComponent("ppo.onnx").path
        let exported = try run(["export-onnx", policy, onnx])
        XCTAssertEqual(exported.status, 0, exported.stderr)
        let script = """
        import sys, numpy as np, onnxruntime as ort
        s = ort.InferenceSession(sys.argv[1])
        x = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1, dtype=np.float32)
        for v in s.run(None, {"observation": x})[0][:, 0]: print(repr(float(v)))
        """
        let runtime = try TestSupport.run("python3", ["-c", script, onnx, csvPath])
        XCTAssertEqual(runtime.status, 0, "ONNX Runtime failed (is scripts/requirements-test.txt installed?): \(runtime.stderr)")
        let theirs = runtime.stdout.split(separator: "\n").map { Float(Double($0)!) }
        XCTAssertEqual(theirs, ours)
    }

    func test_unsupported_checkpoint_exits_non_zero_naming_the_problem() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("x.policy").path
        let lstm = try run(["import", fixture("rsl_rl_lstm.pt"), "--out", out])
        XCTAssertNotEqual(lstm.status, 0)
        XCTAssertTrue(lstm.stderr.contains("recurrent actor"), lstm.stderr)
        let wrongSize = try run(["import", fixture("rsl_rl_mlp.pt"), "--out", out, "--history", "2"])
        XCTAssertNotEqual(wrongSize.status, 0)
        XCTAssertTrue(wrongSize.stderr.contains("takes 5 observations"), wrongSize.stderr)
        let badFeature = try run(["import", fixture("rsl_rl_mlp.pt"), "--out", out, "--observation", "arm_angle,tilt"])
        XCTAssertTrue(badFeature.stderr.contains("unknown observation feature 'tilt'"), badFeature.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "nothing is written on failure")
    }

    func test_infer_reports_the_line_of_a_malformed_row() throws {
        let dir = try TestSupport.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("rsl.policy").path
        XCTAssertEqual(try run(["import", fixture("rsl_rl_mlp.pt"), "--out", policy]).status, 0)
        let csv = dir.appendingPathComponent("bad.csv").path
        try "1,2,3,4,5\n1,2,3\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let result = try run(["infer", policy, "--inputs", csv])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("line 2 has 3 values but the policy takes 5"), result.stderr)
    }
}
