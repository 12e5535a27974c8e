import Foundation
import PolicyFormat
@testable import PolicyInterop
import XCTest

/// The exported graph, run in ONNX Runtime, against `FrozenPolicy` on the same observations.
final class PolicyONNXExportTests: XCTestCase {
    private struct Case {
        var activations: [Activation]
        var squash: ActionScaling.Squash
        var clip: Float = 5
    }

    private let cases: [Case] = [
        Case(activations: [.tanh, .tanh], squash: .clip),
        Case(activations: [.relu, .relu], squash: .tanh),
        Case(activations: [.elu, .elu], squash: .clip, clip: .infinity),
        Case(activations: [.identity, .elu], squash: .tanh),
    ]

    /// 1000 observations ~ N(0, 2²) plus rows of extremes that reach every clamp (normaliser clip,
    /// tanh's ±7.9 bound, ELU's −88 bound, the action clip).
    private func observations(size: Int, seed: UInt64) -> (values: [Float], rows: Int) {
        var x = RandomPolicy.observations(count: 1000, size: size, sd: 2, seed: seed)
        for scale: Float in [-1e4, -300, -30, 30, 300, 1e4] {
            x += (0..<size).map { Float($0 % 2 == 0 ? 1 : -1) * scale }
        }
        return (x, x.count / size)
    }

    private func compare(products: PolicyONNXExport.Products, seedBase: UInt64, tolerance: Float) throws -> [(Float, Bool)] {
        var results: [(Float, Bool)] = []
        for (k, c) in cases.enumerated() {
            let policy = RandomPolicy.make(seed: seedBase + UInt64(k), hidden: [64, 64], activations: c.activations,
                                           squash: c.squash, normaliserClip: c.clip)
            let frozen = try FrozenPolicy(policy)
            let (x, rows) = observations(size: frozen.observationSize, seed: 100 + UInt64(k))
            let ours = (0..<rows).flatMap { r in frozen.action(for: Array(x[r * frozen.observationSize..<(r + 1) * frozen.observationSize])) }
            let onnx = try ONNXRuntimeHarness.run(try PolicyONNXExport.model(for: policy, products: products), observations: x, rows: rows)
            XCTAssertEqual(onnx.actions.count, ours.count)
            let maxDiff = zip(ours, onnx.actions).map { abs($0 - $1) }.max() ?? .infinity
            let identical = zip(ours, onnx.actions).allSatisfy { $0.bitPattern == $1.bitPattern }
            XCTAssertLessThanOrEqual(maxDiff, tolerance, "\(c.activations.map(\.name)) squash \(c.squash), \(products): max |ONNX Runtime − FrozenPolicy| \(maxDiff)")
            results.append((maxDiff, identical))
        }
        return results
    }

    /// The default export: within 1e-6 (the bound), and in fact bit-identical.
    func test_format_order_graph_gives_frozen_policys_bits_in_onnxruntime() throws {
        for (k, (maxDiff, identical)) in try compare(products: .formatOrder, seedBase: 1, tolerance: 1e-6).enumerated() {
            XCTAssertTrue(identical, "case \(k): format-order products should reproduce FrozenPolicy bit for bit (max diff \(maxDiff))")
        }
    }

    /// `--products matmul`: the runtime's GEMM sums 64 products in its own order with fused
    /// multiply-adds; measured here up to ~1.6e-6 on these 64×64 networks, so this form is held
    /// to the deployment check's 1e-5, not to 1e-6 (docs/policy-format.md says so).
    func test_matmul_graph_matches_frozen_policy_within_1e5_in_onnxruntime() throws {
        let results = try compare(products: .matMul, seedBase: 11, tolerance: 1e-5)
        print("matmul form, max |ONNX Runtime − FrozenPolicy| per case: \(results.map(\.0))")
    }

    func test_graph_names_its_input_and_output_and_carries_robot_identity_and_rate() throws {
        let policy = RandomPolicy.make(seed: 5, hidden: [8], activations: [.tanh], squash: .clip, historyLength: 2)
        let result = try ONNXRuntimeHarness.run(try PolicyONNXExport.model(for: policy), observations: [Float](repeating: 0, count: policy.observationLayout.size), rows: 1)
        let d = result.description
        XCTAssertEqual(d["input"] as? String, "observation")
        XCTAssertEqual(d["output"] as? String, "action")
        XCTAssertEqual(d["input_shape"] as? [String], ["batch", "\(policy.observationLayout.size)"])
        XCTAssertEqual(d["output_shape"] as? [String], ["batch", "1"])
        XCTAssertEqual(d["producer"] as? String, "furuta")
        let meta = d["metadata"] as? [String: String] ?? [:]
        XCTAssertEqual(meta["furuta.robot_identity"], "0x123456789abcdef0")
        XCTAssertEqual(meta["furuta.robot_name"], "test-robot")
        XCTAssertEqual(meta["furuta.control_rate_hz"], "250.0")
        XCTAssertEqual(meta["furuta.observation_size"], "\(policy.observationLayout.size)")
        XCTAssertEqual(meta["furuta.trained_latency_s"], "0.0...0.008")
        XCTAssertEqual(meta["furuta.provenance.config_hash"], "abc123")
        XCTAssertEqual(meta["furuta.observation_layout"], "arm_angle,arm_velocity,pendulum_sin,pendulum_cos,pendulum_velocity; history 2; actions 1")
    }

    func test_invalid_policy_is_refused_before_writing_a_graph() {
        var policy = RandomPolicy.make(seed: 6, hidden: [4], activations: [.relu], squash: .clip)
        policy.layers[0].weights[0] = .nan
        XCTAssertThrowsError(try PolicyONNXExport.model(for: policy)) { error in
            XCTAssertTrue("\(error)".contains("non-finite"), "\(error)")
        }
    }
}
