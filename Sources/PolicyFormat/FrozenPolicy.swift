/// A policy ready to run: normaliser, network and action scaling laid out in one contiguous
/// block, with scratch space allocated once. `act` allocates nothing, takes no locks and makes
/// no system calls, so it may run on the controller's real-time loop thread.
///
///     z = clamp((x − mean) · scale, ±clip)             (ObservationNormalization)
///     h₀ = z;  h_k = f_k(b_k + h_{k−1} W_k)            (DenseLayer.forward, fixed order)
///     a = offset + scale · s(h_L)                        (ActionScaling)
///
/// Not thread-safe (one scratch buffer): give each thread its own instance (`copy()`).
public final class FrozenPolicy {
    public let file: PolicyFile
    public let observationSize: Int
    public let actionCount: Int

    private struct LayerPlan {
        var inputCount: Int
        var outputCount: Int
        var activation: Activation
        var weightsOffset: Int
        var biasesOffset: Int
    }

    private let plans: [LayerPlan]
    private let parameters: UnsafeMutableBufferPointer<Float>
    /// Normalised observation, then ping-pong buffers for the layers' outputs.
    private let scratchA: UnsafeMutableBufferPointer<Float>
    private let scratchB: UnsafeMutableBufferPointer<Float>
    private let normalization: ObservationNormalization
    private let actionScaling: ActionScaling

    /// Build from a validated policy (throws the validation error otherwise).
    public init(_ file: PolicyFile) throws(PolicyFileError) {
        try file.validate()
        self.file = file
        observationSize = file.observationLayout.size
        actionCount = file.observationLayout.actionCount
        normalization = file.normalization
        actionScaling = file.actionScaling
        var plans: [LayerPlan] = []
        var total = 0
        for layer in file.layers {
            plans.append(LayerPlan(inputCount: layer.inputCount, outputCount: layer.outputCount,
                                   activation: layer.activation, weightsOffset: total,
                                   biasesOffset: total + layer.weights.count))
            total += layer.weights.count + layer.biases.count
        }
        self.plans = plans
        parameters = .allocate(capacity: total)
        for (plan, layer) in zip(plans, file.layers) {
            for (k, w) in layer.weights.enumerated() { parameters[plan.weightsOffset + k] = w }
            for (k, b) in layer.biases.enumerated() { parameters[plan.biasesOffset + k] = b }
        }
        let widest = max(observationSize, file.layers.map(\.outputCount).max() ?? 0)
        scratchA = .allocate(capacity: widest)
        scratchB = .allocate(capacity: widest)
        scratchA.initialize(repeating: 0)
        scratchB.initialize(repeating: 0)
    }

    /// Decode, validate and prepare a policy file's bytes.
    public convenience init(decoding bytes: [UInt8]) throws(PolicyFileError) {
        try self.init(PolicyFile(decoding: bytes))
    }

    deinit {
        parameters.deallocate()
        scratchA.deallocate()
        scratchB.deallocate()
    }

    /// An independent instance for another thread.
    public func copy() -> FrozenPolicy {
        // The file was validated when `self` was built.
        try! FrozenPolicy(file)
    }

    /// The deterministic action for one raw (unnormalised) observation.
    /// `observation.count` ≥ `observationSize`, `action.count` ≥ `actionCount`.
    public func act(observation: UnsafeBufferPointer<Float>, action: UnsafeMutableBufferPointer<Float>) {
        precondition(observation.count >= observationSize && action.count >= actionCount,
                     "FrozenPolicy.act: buffer sizes \(observation.count), \(action.count) below \(observationSize), \(actionCount)")
        let base = UnsafePointer(parameters.baseAddress!)
        var input = scratchA.baseAddress!
        var output = scratchB.baseAddress!
        normalization.normalize(observation.baseAddress!, into: input)
        for plan in plans {
            DenseLayer.forward(input: input, inputCount: plan.inputCount,
                               weights: base + plan.weightsOffset, biases: base + plan.biasesOffset,
                               outputCount: plan.outputCount, activation: plan.activation, output: output)
            swap(&input, &output)
        }
        actionScaling.apply(input, into: action.baseAddress!)
    }

    /// Same, for a mutable observation buffer.
    public func act(observation: UnsafeMutableBufferPointer<Float>, action: UnsafeMutableBufferPointer<Float>) {
        act(observation: UnsafeBufferPointer(observation), action: action)
    }

    /// Convenience for tests and tools (allocates).
    public func action(for observation: [Float]) -> [Float] {
        var result = [Float](repeating: 0, count: actionCount)
        observation.withUnsafeBufferPointer { o in
            result.withUnsafeMutableBufferPointer { a in act(observation: o, action: a) }
        }
        return result
    }
}
