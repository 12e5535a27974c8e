import PolicyFormat

/// A fully connected network for the off-policy learner: every buffer is allocated once, for
/// batches of up to `maxBatch` rows, so a training step allocates nothing. Each hidden layer is
///
///     Z = X W + 1 bᵀ                       (BLAS, rows preset to b, β = 1)
///     D = Z ⊙ M                            dropout: M_ri ∈ {0, 1/(1 − p)}, drawn per forward
///     N = γ ⊙ (D − μ_r)/√(σ_r² + ε) + β    layer normalisation over each row (μ_r, σ_r² of row r)
///     H = f(N)                             activation (ReLU for SAC)
///
/// with dropout and layer normalisation optional per layer (the DroQ critic uses both, the actor
/// neither); the output layer is linear. Parameters are one flat vector, layer by layer:
/// W (in × out, row-major by input as `DenseLayer`), b, then γ and β when normalised, so a
/// layer without them exports as a `DenseLayer` by copying numbers.
public final class DenseNetwork {
    public struct Layer: Sendable, Equatable {
        public let inputCount: Int
        public let outputCount: Int
        public let activation: Activation
        public let layerNorm: Bool
        /// Dropout probability p (0: none).
        public let dropout: Float
        public let weightsOffset: Int
        public var biasesOffset: Int { weightsOffset + inputCount * outputCount }
        /// γ of the layer normalisation; β follows it.
        public var gainOffset: Int { biasesOffset + outputCount }
        public var shiftOffset: Int { gainOffset + outputCount }
        public var parameterCount: Int { (inputCount + 1) * outputCount + (layerNorm ? 2 * outputCount : 0) }
    }

    public static let layerNormEpsilon: Float = 1e-5

    public let layers: [Layer]
    public let maxBatch: Int
    public let parameters: UnsafeMutableBufferPointer<Float>
    /// ∂L/∂θ, accumulated by `backward` until `zeroGradients()`.
    public let gradients: UnsafeMutableBufferPointer<Float>
    /// ∂L/∂X of the last `backward` that asked for it (batch × inputCount).
    public let inputGradient: UnsafeMutableBufferPointer<Float>

    // Per layer, for `backward`: the output H, the normalised X̂ and 1/√(σ² + ε) per row, the
    // dropout factors.
    private let outputs: [UnsafeMutableBufferPointer<Float>]
    private let normalized: [UnsafeMutableBufferPointer<Float>]
    private let inverseStd: [UnsafeMutableBufferPointer<Float>]
    private let masks: [UnsafeMutableBufferPointer<Float>]
    private let dropoutApplied: UnsafeMutableBufferPointer<Bool>
    private let upstream: UnsafeMutableBufferPointer<Float>
    private let downstream: UnsafeMutableBufferPointer<Float>
    private var lastInput: UnsafePointer<Float>?
    private var lastBatch = 0

    public var inputCount: Int { layers[0].inputCount }
    public var outputCount: Int { layers[layers.count - 1].outputCount }
    public var parameterCount: Int { parameters.count }

    /// - Parameters:
    ///   - widths: input, hidden…, output sizes, e.g. [6, 64, 64, 1].
    ///   - layerNorm, dropout: applied to every hidden layer.
    ///   - outputGain: orthogonal-init gain of the output layer (hidden layers √2, biases 0, γ 1, β 0).
    public init(widths: [Int], hiddenActivation: Activation = .relu, layerNorm: Bool = false, dropout: Float = 0,
                outputGain: Float = 1, maxBatch: Int, rng: inout Xoshiro256StarStar) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 > 0 } && maxBatch > 0, "DenseNetwork: bad shape \(widths)")
        precondition(dropout >= 0 && dropout < 1, "DenseNetwork: dropout \(dropout) outside [0, 1)")
        var layers: [Layer] = []
        var offset = 0
        for k in 0..<(widths.count - 1) {
            let hidden = k < widths.count - 2
            let layer = Layer(inputCount: widths[k], outputCount: widths[k + 1],
                              activation: hidden ? hiddenActivation : .identity,
                              layerNorm: hidden && layerNorm, dropout: hidden ? dropout : 0, weightsOffset: offset)
            layers.append(layer)
            offset += layer.parameterCount
        }
        self.layers = layers
        self.maxBatch = maxBatch
        parameters = .allocate(capacity: offset)
        parameters.initialize(repeating: 0)
        gradients = .allocate(capacity: offset)
        gradients.initialize(repeating: 0)
        for (k, layer) in layers.enumerated() {
            let gain = k == layers.count - 1 ? outputGain : Float(2).squareRoot()
            let w = Initialization.orthogonal(inputCount: layer.inputCount, outputCount: layer.outputCount, gain: gain, rng: &rng)
            for i in w.indices { parameters[layer.weightsOffset + i] = w[i] }
            if layer.layerNorm { for o in 0..<layer.outputCount { parameters[layer.gainOffset + o] = 1 } }
        }
        func buffer(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
            let b = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(count, 1))
            b.initialize(repeating: 0)
            return b
        }
        outputs = layers.map { buffer(maxBatch * $0.outputCount) }
        normalized = layers.map { buffer($0.layerNorm ? maxBatch * $0.outputCount : 0) }
        inverseStd = layers.map { buffer($0.layerNorm ? maxBatch : 0) }
        masks = layers.map { buffer($0.dropout > 0 ? maxBatch * $0.outputCount : 0) }
        dropoutApplied = .allocate(capacity: layers.count)
        dropoutApplied.initialize(repeating: false)
        let widest = widths.max()!
        upstream = buffer(maxBatch * widest)
        downstream = buffer(maxBatch * widest)
        inputGradient = buffer(maxBatch * widths[0])
    }

    deinit {
        parameters.deallocate(); gradients.deallocate(); inputGradient.deallocate()
        upstream.deallocate(); downstream.deallocate(); dropoutApplied.deallocate()
        for b in outputs { b.deallocate() }
        for b in normalized { b.deallocate() }
        for b in inverseStd { b.deallocate() }
        for b in masks { b.deallocate() }
    }

    public func zeroGradients() { gradients.update(repeating: 0) }

    /// Copy another network's parameters (same shape): θ ← θ_source.
    public func copyParameters(from source: DenseNetwork) {
        precondition(source.parameters.count == parameters.count, "DenseNetwork: shapes differ")
        for i in 0..<parameters.count { parameters[i] = source.parameters[i] }
    }

    /// Polyak averaging towards `source`: θ ← (1 − τ)·θ + τ·θ_source (target networks).
    public func polyakUpdate(towards source: DenseNetwork, tau: Float) {
        precondition(source.parameters.count == parameters.count, "DenseNetwork: shapes differ")
        let keep = 1 - tau
        for i in 0..<parameters.count { parameters[i] = keep * parameters[i] + tau * source.parameters[i] }
    }

    /// Parameters as an array (checkpoints, tests).
    public var parameterArray: [Float] { Array(parameters) }

    public func setParameters(_ values: [Float]) {
        precondition(values.count == parameters.count, "DenseNetwork: \(values.count) values for \(parameters.count) parameters")
        for i in values.indices { parameters[i] = values[i] }
    }

    /// Forward pass on `batch` rows of `input` (batch × inputCount, kept alive by the caller until
    /// `backward`). With `dropoutRNG` the dropout layers draw fresh masks (training mode);
    /// without, they pass values through (evaluation). Returns batch × outputCount, valid until
    /// the next forward.
    @discardableResult
    public func forward(_ input: UnsafePointer<Float>, batch: Int,
                        dropoutRNG: UnsafeMutablePointer<Xoshiro256StarStar>?) -> UnsafeMutablePointer<Float> {
        precondition(batch > 0 && batch <= maxBatch, "DenseNetwork.forward: batch outside 1…maxBatch")
        lastInput = input
        lastBatch = batch
        var x = input
        let p = parameters.baseAddress!
        for k in layers.indices {
            let layer = layers[k]
            let n = layer.outputCount
            let h = outputs[k].baseAddress!
            let b = p + layer.biasesOffset
            for r in 0..<batch { (h + r * n).update(from: b, count: n) }
            BLAS.gemm(m: batch, n: n, k: layer.inputCount, a: x, lda: layer.inputCount,
                      b: p + layer.weightsOffset, ldb: n, beta: 1, c: h, ldc: n)
            if layer.dropout > 0, let dropoutRNG {
                Dropout.drawMask(masks[k].baseAddress!, count: batch * n, probability: layer.dropout, rng: dropoutRNG)
                let m = masks[k].baseAddress!
                for i in 0..<(batch * n) { h[i] *= m[i] }
                dropoutApplied[k] = true
            } else {
                dropoutApplied[k] = false
            }
            if layer.layerNorm {
                LayerNormalization.forward(h, rows: batch, width: n, gain: p + layer.gainOffset, shift: p + layer.shiftOffset,
                                           normalized: normalized[k].baseAddress!, inverseStd: inverseStd[k].baseAddress!,
                                           epsilon: Self.layerNormEpsilon)
            }
            layer.activation.apply(h, count: batch * n)
            x = UnsafePointer(h)
        }
        return outputs[layers.count - 1].baseAddress!
    }

    /// Backward pass for the last `forward`: given G = ∂L/∂Y (batch × outputCount), add ∂L/∂θ
    /// into `gradients` (unless `parameterGradients` is false: only ∂L/∂X is wanted, as when the
    /// actor differentiates through a critic) and, when `inputGradientNeeded`, write ∂L/∂X into
    /// `inputGradient`. Layer by layer from the top:
    ///
    ///     ∂L/∂N = ∂L/∂H ⊙ f′               (ReLU: [H > 0]; tanh: 1 − H²)
    ///     ∂L/∂γ += Σ_r ∂L/∂N ⊙ X̂,  ∂L/∂β += Σ_r ∂L/∂N,  ∂L/∂X̂ = ∂L/∂N ⊙ γ
    ///     ∂L/∂D = (1/s_r)·(∂L/∂X̂ − mean_r(∂L/∂X̂) − X̂ ⊙ mean_r(∂L/∂X̂ ⊙ X̂)),  s_r = √(σ_r² + ε)
    ///     ∂L/∂Z = ∂L/∂D ⊙ M
    ///     ∂L/∂W += Xᵀ ∂L/∂Z,  ∂L/∂b += Σ_r ∂L/∂Z,  ∂L/∂X = ∂L/∂Z Wᵀ
    public func backward(_ outputGradient: UnsafePointer<Float>, parameterGradients: Bool = true,
                         inputGradientNeeded: Bool = false) {
        guard let input = lastInput else { preconditionFailure("DenseNetwork.backward without forward") }
        let batch = lastBatch
        let p = parameters.baseAddress!, g = gradients.baseAddress!
        var up = upstream.baseAddress!, down = downstream.baseAddress!
        up.update(from: outputGradient, count: batch * outputCount)
        for k in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[k]
            let n = layer.outputCount, m = layer.inputCount
            let h = outputs[k].baseAddress!
            let count = batch * n
            switch layer.activation {
            case .identity: break
            case .relu: for i in 0..<count { up[i] = h[i] > 0 ? up[i] : 0 }
            case .tanh: for i in 0..<count { up[i] *= 1 - h[i] * h[i] }
            case .elu: for i in 0..<count { up[i] *= h[i] > 0 ? 1 : h[i] + 1 }
            }
            if layer.layerNorm {
                LayerNormalization.backward(up, rows: batch, width: n, gain: p + layer.gainOffset,
                                            normalized: normalized[k].baseAddress!, inverseStd: inverseStd[k].baseAddress!,
                                            gainGradient: parameterGradients ? g + layer.gainOffset : nil,
                                            shiftGradient: parameterGradients ? g + layer.shiftOffset : nil)
            }
            if dropoutApplied[k] {
                let mask = masks[k].baseAddress!
                for i in 0..<count { up[i] *= mask[i] }
            }
            let x = k == 0 ? input : UnsafePointer(outputs[k - 1].baseAddress!)
            if parameterGradients {
                BLAS.gemm(transposeA: true, m: m, n: n, k: batch, a: x, lda: m, b: up, ldb: n,
                          beta: 1, c: g + layer.weightsOffset, ldc: n)
                let db = g + layer.biasesOffset
                for r in 0..<batch { for o in 0..<n { db[o] += up[r * n + o] } }
            }
            if k > 0 || inputGradientNeeded {
                let target = k == 0 ? inputGradient.baseAddress! : down
                BLAS.gemm(transposeB: true, m: batch, n: m, k: n, a: up, lda: n,
                          b: p + layer.weightsOffset, ldb: n, c: target, ldc: m)
                swap(&up, &down)
            }
        }
    }

    /// The layers without normalisation as PolicyFormat values (weights copied), keeping only
    /// `outputColumns` of the last layer (the actor exports its mean head, not its log-std).
    public func denseLayers(outputColumns: Range<Int>? = nil) -> [DenseLayer] {
        layers.enumerated().map { k, l in
            precondition(!l.layerNorm, "a layer-normalised network has no DenseLayer form")
            let columns = k == layers.count - 1 ? (outputColumns ?? 0..<l.outputCount) : 0..<l.outputCount
            var weights: [Float] = []
            weights.reserveCapacity(l.inputCount * columns.count)
            for i in 0..<l.inputCount { for o in columns { weights.append(parameters[l.weightsOffset + i * l.outputCount + o]) } }
            let biases = columns.map { parameters[l.biasesOffset + $0] }
            return DenseLayer(inputCount: l.inputCount, outputCount: columns.count, activation: l.activation,
                              weights: weights, biases: biases)
        }
    }
}
