import PolicyFormat

/// A `.policy` file's whole deployed computation as one ONNX graph:
///
///     observation [batch, S]
///       → z = Clip((x − mean) · scale, −clip, clip)        scale = 1/√(variance + ε), float32,
///                                                            the very numbers FrozenPolicy uses
///       → h_k = f_k(b_k + h_{k−1} W_k)                      (see `Products`)
///       → action = offset + scale · s(h_L)                  s = Clip(·, −1, 1) or the format's tanh
///     action [batch, A]
///
/// Activations: identity (nothing), relu (`Relu`, exact), tanh and elu as the format defines them
/// (`ONNXFormatFunctions.swift`). With `.formatOrder` products every node is one IEEE-754
/// float32 operation in the order FrozenPolicy performs it, so a conforming runtime gives the
/// same bits; with `.matMul` the runtime's GEMM sums in its own order (and may fuse
/// multiply-adds), a difference of a few float32 ulps per layer. Opset 17, IR 8. The robot identity, name, control
/// rate, layout and provenance go into `metadata_props` (keys `furuta.*`).
public enum PolicyONNXExport {
    public static let inputName = "observation"
    public static let outputName = "action"

    /// How a layer's b + hW is written.
    public enum Products: String, Sendable, CaseIterable {
        /// The format's order: y ← b; y ← y + h_i·W[i] for i = 0, 1, …: per input one Gather
        /// (column i of h), one Mul (by row i of W) and one Add — 3·inputs nodes per layer,
        /// bit-identical to `FrozenPolicy`.
        case formatOrder = "format-order"
        /// One MatMul and one Add per layer: compact and fast, equal to float32 rounding of the
        /// runtime's summation order.
        case matMul = "matmul"
    }

    public static func model(for policy: PolicyFile, products: Products = .formatOrder) throws(PolicyFileError) -> ONNXModel {
        try policy.validate()
        let layout = policy.observationLayout
        var b = ONNXGraphBuilder(name: "furuta_policy")
        b.graph.inputs = [ONNXValueInfo(name: inputName, dims: [.symbolic("batch"), .fixed(layout.size)],
                                        docString: "raw observations, layout: " + describe(layout))]
        b.graph.outputs = [ONNXValueInfo(name: outputName, dims: [.symbolic("batch"), .fixed(layout.actionCount)],
                                         docString: "actions in the robot's units (motor command in [-1, 1] for unit scaling)")]

        // 1. Normaliser.
        let n = policy.normalization
        let centred = b.node("Sub", [inputName, b.constant("normalizer/mean", dims: [n.size], n.mean)], "normalizer/centred")
        var h = b.node("Mul", [centred, b.constant("normalizer/scale", dims: [n.size], n.scale)], "normalizer/scaled")
        if n.clip.isFinite {
            h = b.node("Clip", [h, b.scalar("normalizer/-clip", -n.clip), b.scalar("normalizer/clip", n.clip)], "normalizer/z")
        }

        // 2. Layers.
        for (index, layer) in policy.layers.enumerated() {
            let p = "layer\(index)"
            switch products {
            case .matMul:
                let weights = b.constant("\(p)/W", dims: [layer.inputCount, layer.outputCount], layer.weights)
                let product = b.node("MatMul", [h, weights], "\(p)/matmul")
                h = b.node("Add", [product, b.constant("\(p)/b", dims: [layer.outputCount], layer.biases)], "\(p)/preactivation")
            case .formatOrder:
                // y = b, then y = y + h[:, i:i+1] · W[i, :] for each input i in order ([batch, 1] × [O]).
                var y = b.constant("\(p)/b", dims: [layer.outputCount], layer.biases)
                let o = layer.outputCount
                for i in 0..<layer.inputCount {
                    let column = b.node("Gather", [h, b.indices("\(p)/i\(i)", [Int64(i)])], "\(p)/h\(i)", attributes: [("axis", 1)])
                    let row = b.constant("\(p)/W\(i)", dims: [o], Array(layer.weights[i * o..<(i + 1) * o]))
                    let product = b.node("Mul", [column, row], "\(p)/h\(i)W\(i)")
                    y = b.node("Add", [y, product], "\(p)/y\(i)")
                }
                h = y
            }
            switch layer.activation {
            case .identity: break
            case .relu: h = b.node("Relu", [h], "\(p)/relu")
            case .tanh: h = b.formatTanh(h, prefix: "\(p)/tanh")
            case .elu: h = b.formatElu(h, prefix: "\(p)/elu")
            }
        }

        // 3. Squash and scale.
        let s = policy.actionScaling
        switch s.squash {
        case .clip: h = b.node("Clip", [h, b.scalar("action/-1", -1), b.scalar("action/1", 1)], "action/squashed")
        case .tanh: h = b.formatTanh(h, prefix: "action/tanh")
        }
        let scaled = b.node("Mul", [b.constant("action/scale", dims: [s.count], s.scale), h], "action/scaled")
        b.node("Add", [b.constant("action/offset", dims: [s.count], s.offset), scaled], outputName)

        var model = ONNXModel(graph: b.graph)
        model.docString = "Furuta pendulum policy exported from a .policy file (docs/policy-format.md)"
        model.metadata = metadata(for: policy) + [("furuta.onnx_products", products.rawValue)]
        return model
    }

    /// metadata_props: what a deploying runtime must check before running the graph.
    static func metadata(for policy: PolicyFile) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = [
            ("furuta.robot_identity", hex(policy.robotIdentity)),
            ("furuta.robot_name", policy.robotName),
            ("furuta.control_rate_hz", "\(policy.controlRateHz)"),
            ("furuta.observation_layout", describe(policy.observationLayout)),
            ("furuta.observation_size", "\(policy.observationLayout.size)"),
            ("furuta.action_count", "\(policy.observationLayout.actionCount)"),
            ("furuta.policy_format_version", "\(PolicyFile.currentVersion)"),
        ]
        if let latency = policy.trainedLatency {
            out.append(("furuta.trained_latency_s", "\(latency.minimumSeconds)...\(latency.maximumSeconds)"))
        }
        for (key, value) in policy.provenance.pairs { out.append(("furuta.provenance.\(key)", value)) }
        return out
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    /// e.g. "arm_angle,arm_velocity,pendulum_sin,pendulum_cos,pendulum_velocity; history 2".
    static func describe(_ layout: ObservationLayout) -> String {
        layout.features.map(\.interopName).joined(separator: ",") + "; history \(layout.historyLength)"
            + "; actions \(layout.actionCount)"
    }
}
