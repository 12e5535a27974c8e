import PolicyFormat

/// What an imported policy is for: the robot (from robot.yaml, supplied by the caller) and the
/// observation layout the user declares — the checkpoint does not know our layout, only its input
/// size, which must equal the layout's.
public struct ImportTarget: Sendable {
    public var robotIdentity: UInt64
    public var robotName: String
    public var controlRateHz: Double
    public var layout: ObservationLayout
    /// Trained latency range, when the user knows it (the checkpoint does not say).
    public var trainedLatency: TrainedLatency?

    public init(robotIdentity: UInt64, robotName: String, controlRateHz: Double, layout: ObservationLayout,
                trainedLatency: TrainedLatency? = nil) {
        self.robotIdentity = robotIdentity
        self.robotName = robotName
        self.controlRateHz = controlRateHz
        self.layout = layout
        self.trainedLatency = trainedLatency
    }

    /// Refuse a network whose input or output size differs from the declared layout.
    func check(networkInputs: Int, networkOutputs: Int, source: String) throws(PolicyImportError) {
        let l = layout
        let described = l.features.map(\.interopName).joined(separator: ",") + ", history \(l.historyLength)"
        guard networkInputs == l.size else {
            throw .mismatch("the network in \(source) takes \(networkInputs) observations but the declared layout (\(described)) has \(l.size) = \(l.features.count) features + \(l.historyLength) × (\(l.features.count) features + \(l.actionCount) actions); declare the layout it was trained with (--observation, --history)")
        }
        guard networkOutputs == l.actionCount else {
            throw .mismatch("the network in \(source) gives \(networkOutputs) actions but the robot takes \(l.actionCount)")
        }
    }
}

/// One torch `nn.Linear`: weight [out, in] row-major, bias [out].
struct LinearLayer {
    var weight: Tensor
    var bias: Tensor
    var name: String

    var inputs: Int { weight.shape[1] }
    var outputs: Int { weight.shape[0] }

    /// As the format's layer: W transposed to [in][out] row-major (W[i][o] at i·out + o).
    func dense(activation: Activation) -> DenseLayer {
        let i = inputs, o = outputs
        var w = [Float](repeating: 0, count: i * o)
        for r in 0..<o { for c in 0..<i { w[c * o + r] = Float(weight.values[r * i + c]) } }
        return DenseLayer(inputCount: i, outputCount: o, activation: activation, weights: w, biases: bias.floats)
    }
}

/// Collect `PREFIX{n}.weight`/`PREFIX{n}.bias` of an `nn.Sequential` of Linear layers and
/// activations: Linear layers at even positions 0, 2, 4, … (activations, which have no
/// parameters, in between). Anything else with parameters under the prefix is refused.
func sequentialLinears(_ state: [(key: String, tensor: Tensor)], prefix: String, source: String) throws(PolicyImportError) -> [LinearLayer] {
    var byIndex: [Int: (weight: Tensor?, bias: Tensor?)] = [:]
    for (key, tensor) in state where key.hasPrefix(prefix) {
        let rest = key.dropFirst(prefix.count)
        let parts = rest.split(separator: ".")
        guard parts.count == 2, let index = Int(parts[0]), parts[1] == "weight" || parts[1] == "bias" else {
            throw .unsupported("\(source): parameter '\(key)' is not part of a plain Linear/activation stack (normalisation or other layers are not supported)")
        }
        var entry = byIndex[index] ?? (nil, nil)
        if parts[1] == "weight" { entry.weight = tensor } else { entry.bias = tensor }
        byIndex[index] = entry
    }
    var layers: [LinearLayer] = []
    for (position, index) in byIndex.keys.sorted().enumerated() {
        guard index == 2 * position else {
            throw .unsupported("\(source): layers under '\(prefix)' are at positions \(byIndex.keys.sorted()); only Linear, activation, Linear, … stacks are supported")
        }
        guard let weight = byIndex[index]!.weight, let bias = byIndex[index]!.bias else {
            throw .unsupported("\(source): layer '\(prefix)\(index)' lacks a weight or a bias (Linear without bias is not supported)")
        }
        layers.append(try linear(weight: weight, bias: bias, name: "\(prefix)\(index)", source: source))
    }
    return layers
}

func linear(weight: Tensor, bias: Tensor, name: String, source: String) throws(PolicyImportError) -> LinearLayer {
    guard weight.shape.count == 2 else {
        throw .unsupported("\(source): '\(name).weight' has shape \(weight.shape); a Linear weight is 2-D (convolutions are not supported)")
    }
    guard bias.shape == [weight.shape[0]] else {
        throw .malformed("\(source): '\(name).bias' has shape \(bias.shape), expected [\(weight.shape[0])]")
    }
    return LinearLayer(weight: weight, bias: bias, name: name)
}

/// Chain the layers, checking each one's input against the previous one's output.
func denseLayers(_ linears: [LinearLayer], hidden: Activation, source: String) throws(PolicyImportError) -> [DenseLayer] {
    for (a, b) in zip(linears, linears.dropFirst()) where a.outputs != b.inputs {
        throw .malformed("\(source): '\(a.name)' gives \(a.outputs) values but '\(b.name)' takes \(b.inputs)")
    }
    return linears.enumerated().map { k, l in l.dense(activation: k == linears.count - 1 ? .identity : hidden) }
}

/// Map a torch activation class or rsl_rl activation name to the format's.
func formatActivation(_ name: String, source: String) throws(PolicyImportError) -> Activation {
    switch name.lowercased() {
    case "tanh": return .tanh
    case "relu": return .relu
    case "elu": return .elu
    case "identity": return .identity
    default:
        throw .unsupported("\(source): activation '\(name)' is not in the policy format (supported: tanh, relu, elu, identity); retrain with one of those")
    }
}

/// a = offset + scale·clamp(u, −1, 1) reproduces a = clamp(μ, low, high) when the last layer
/// gives u = (μ − offset)/scale: the last layer's weights and biases are divided by scale after
/// subtracting offset from the bias. With low = −1, high = 1 nothing changes (bit for bit).
func foldClipRange(into layers: inout [DenseLayer], low: [Double], high: [Double]) -> ActionScaling {
    let offset = zip(low, high).map { ($0 + $1) / 2 }, scale = zip(low, high).map { ($1 - $0) / 2 }
    if offset.allSatisfy({ $0 == 0 }) && scale.allSatisfy({ $0 == 1 }) { return .unit(count: low.count) }
    var last = layers.removeLast()
    let o = last.outputCount
    for j in 0..<o {
        for i in 0..<last.inputCount { last.weights[i * o + j] = Float(Double(last.weights[i * o + j]) / scale[j]) }
        last.biases[j] = Float((Double(last.biases[j]) - offset[j]) / scale[j])
    }
    layers.append(last)
    return ActionScaling(squash: .clip, scale: scale.map { Float($0) }, offset: offset.map { Float($0) })
}
