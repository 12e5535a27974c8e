import PolicyFormat

/// A multilayer perceptron y = f_L(… f₁(x W₁ + b₁) … W_L + b_L) on batches, float32, with a
/// hand-written backward pass. Products go through BLAS; the activations are PolicyFormat's,
/// so an exported network computes the same functions.
///
/// Parameters live in one flat vector (`parameters`), layer by layer: W_k (in×out, row-major
/// by input, as in `DenseLayer`) then b_k. `gradients` has the same layout and accumulates
/// across `backward` calls until `zeroGradients()`.
public struct MLP: Sendable {
    public struct Layer: Sendable, Equatable, Codable {
        public var inputCount: Int
        public var outputCount: Int
        public var activation: Activation
        /// Offset of W in `parameters`; b follows it.
        public var weightsOffset: Int
        public var biasesOffset: Int { weightsOffset + inputCount * outputCount }
        public var parameterCount: Int { (inputCount + 1) * outputCount }
    }

    public let layers: [Layer]
    public var parameters: [Float]
    public var gradients: [Float]
    /// Inputs to each layer and the last layer's output, from the last `forward`: layer k's
    /// input is `activations[k]`, its output `activations[k + 1]` (batch × width).
    private var activations: [[Float]] = []
    private var cachedBatch = 0

    public var inputCount: Int { layers[0].inputCount }
    public var outputCount: Int { layers[layers.count - 1].outputCount }

    /// - Parameters:
    ///   - widths: input, hidden…, output sizes, e.g. [5, 64, 64, 1].
    ///   - hiddenActivation, outputActivation: f for hidden layers and for the last.
    ///   - hiddenGain, outputGain: orthogonal-init gains (√2 and 0.01 for a policy, 1 for a value).
    public init(widths: [Int], hiddenActivation: Activation = .tanh, outputActivation: Activation = .identity,
                hiddenGain: Float = Float(2).squareRoot(), outputGain: Float = 1, rng: inout Xoshiro256StarStar) {
        precondition(widths.count >= 2 && widths.allSatisfy { $0 > 0 }, "MLP: bad widths \(widths)")
        var layers: [Layer] = []
        var offset = 0
        for k in 0..<(widths.count - 1) {
            let isLast = k == widths.count - 2
            layers.append(Layer(inputCount: widths[k], outputCount: widths[k + 1],
                                activation: isLast ? outputActivation : hiddenActivation, weightsOffset: offset))
            offset += layers[k].parameterCount
        }
        self.layers = layers
        parameters = Array(repeating: 0, count: offset)
        gradients = Array(repeating: 0, count: offset)
        for layer in layers {
            let w = Initialization.orthogonal(inputCount: layer.inputCount, outputCount: layer.outputCount,
                                              gain: layer.offsetIsLast(in: layers) ? outputGain : hiddenGain, rng: &rng)
            parameters.replaceSubrange(layer.weightsOffset..<layer.biasesOffset, with: w)
        }
    }

    /// A network with given layers and parameters (e.g. read back from a policy file).
    public init(layers: [DenseLayer]) {
        var built: [Layer] = []
        var parameters: [Float] = []
        for layer in layers {
            built.append(Layer(inputCount: layer.inputCount, outputCount: layer.outputCount,
                               activation: layer.activation, weightsOffset: parameters.count))
            parameters += layer.weights + layer.biases
        }
        self.layers = built
        self.parameters = parameters
        gradients = Array(repeating: 0, count: parameters.count)
    }

    /// The layers as PolicyFormat values (weights copied).
    public var denseLayers: [DenseLayer] {
        layers.map { l in
            DenseLayer(inputCount: l.inputCount, outputCount: l.outputCount, activation: l.activation,
                       weights: Array(parameters[l.weightsOffset..<l.biasesOffset]),
                       biases: Array(parameters[l.biasesOffset..<(l.biasesOffset + l.outputCount)]))
        }
    }

    public mutating func zeroGradients() {
        gradients.withUnsafeMutableBufferPointer { g in g.update(repeating: 0) }
    }

    /// Forward pass on `batch` rows of `input` (batch × inputCount); returns batch × outputCount
    /// and keeps what `backward` needs.
    ///
    ///     Z_k = H_{k−1} W_k + 1 b_kᵀ   (rows of Z preset to b, then BLAS with β = 1)
    ///     H_k = f_k(Z_k)
    public mutating func forward(_ input: [Float], batch: Int) -> [Float] {
        precondition(input.count == batch * inputCount, "MLP.forward: \(input.count) values for \(batch)×\(inputCount)")
        activations = [input]
        activations.reserveCapacity(layers.count + 1)
        for layer in layers {
            let output = Self.layerForward(layer, parameters: parameters, input: activations[activations.count - 1], batch: batch)
            activations.append(output)
        }
        cachedBatch = batch
        return activations[layers.count]
    }

    /// Forward pass without keeping anything for `backward` (rollouts, evaluation).
    public func predict(_ input: [Float], batch: Int) -> [Float] {
        precondition(input.count == batch * inputCount, "MLP.predict: \(input.count) values for \(batch)×\(inputCount)")
        var h = input
        for layer in layers { h = Self.layerForward(layer, parameters: parameters, input: h, batch: batch) }
        return h
    }

    /// One sample through PolicyFormat's single-sample kernel: the exact arithmetic of an
    /// exported `FrozenPolicy` (BLAS sums in another order, so `predict` can differ in the
    /// last bits). Writes `outputCount` values.
    public func predictSingle(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        let widest = layers.map(\.outputCount).max()!
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * widest) { scratch in
            var from = UnsafeMutablePointer(mutating: input)
            var to = scratch.baseAddress!
            var other = scratch.baseAddress! + widest
            parameters.withUnsafeBufferPointer { p in
                for (k, layer) in layers.enumerated() {
                    DenseLayer.forward(input: from, inputCount: layer.inputCount,
                                       weights: p.baseAddress! + layer.weightsOffset,
                                       biases: p.baseAddress! + layer.biasesOffset,
                                       outputCount: layer.outputCount, activation: layer.activation,
                                       output: k == layers.count - 1 ? output : to)
                    from = to
                    swap(&to, &other)
                }
            }
        }
    }

    private static func layerForward(_ layer: Layer, parameters: [Float], input: [Float], batch: Int) -> [Float] {
        let n = layer.outputCount
        var z = [Float](repeating: 0, count: batch * n)
        parameters.withUnsafeBufferPointer { p in
            input.withUnsafeBufferPointer { x in
                z.withUnsafeMutableBufferPointer { zp in
                    let b = p.baseAddress! + layer.biasesOffset
                    for r in 0..<batch { for o in 0..<n { zp[r * n + o] = b[o] } }
                    BLAS.gemm(m: batch, n: n, k: layer.inputCount, a: x.baseAddress!, lda: layer.inputCount,
                              b: p.baseAddress! + layer.weightsOffset, ldb: n, beta: 1, c: zp.baseAddress!, ldc: n)
                    layer.activation.apply(zp.baseAddress!, count: batch * n)
                }
            }
        }
        return z
    }

    /// Backward pass for the last `forward`: given G = ∂L/∂Y (batch × outputCount), add
    /// ∂L/∂θ into `gradients` and return ∂L/∂X (batch × inputCount). Layer by layer, from the
    /// top, with H = f(Z) the layer's output and X its input:
    ///
    ///     ∂L/∂Z = ∂L/∂H ⊙ f′, with f′ from H: tanh 1 − H², relu [H > 0], elu H > 0 ? 1 : H + 1
    ///     ∂L/∂W += Xᵀ ∂L/∂Z,   ∂L/∂b += Σ_rows ∂L/∂Z,   ∂L/∂X = ∂L/∂Z Wᵀ
    @discardableResult
    public mutating func backward(_ outputGradient: [Float], inputGradientNeeded: Bool = true) -> [Float] {
        let batch = cachedBatch
        precondition(activations.count == layers.count + 1, "MLP.backward without forward")
        precondition(outputGradient.count == batch * outputCount, "MLP.backward: gradient shape")
        var upstream = outputGradient
        for k in stride(from: layers.count - 1, through: 0, by: -1) {
            let layer = layers[k]
            let n = layer.outputCount, m = layer.inputCount
            Self.multiplyByDerivative(&upstream, output: activations[k + 1], activation: layer.activation)
            let needInput = k > 0 || inputGradientNeeded
            var downstream = needInput ? [Float](repeating: 0, count: batch * m) : []
            activations[k].withUnsafeBufferPointer { x in
                parameters.withUnsafeBufferPointer { p in
                    gradients.withUnsafeMutableBufferPointer { g in
                        upstream.withUnsafeBufferPointer { dz in
                            BLAS.gemm(transposeA: true, m: m, n: n, k: batch, a: x.baseAddress!, lda: m,
                                      b: dz.baseAddress!, ldb: n, beta: 1, c: g.baseAddress! + layer.weightsOffset, ldc: n)
                            let db = g.baseAddress! + layer.biasesOffset
                            for r in 0..<batch { for o in 0..<n { db[o] += dz[r * n + o] } }
                            if needInput {
                                downstream.withUnsafeMutableBufferPointer { dx in
                                    BLAS.gemm(transposeB: true, m: batch, n: m, k: n, a: dz.baseAddress!, lda: n,
                                              b: p.baseAddress! + layer.weightsOffset, ldb: n,
                                              c: dx.baseAddress!, ldc: m)
                                }
                            }
                        }
                    }
                }
            }
            upstream = downstream
        }
        return upstream
    }

    private static func multiplyByDerivative(_ g: inout [Float], output h: [Float], activation: Activation) {
        g.withUnsafeMutableBufferPointer { g in
            h.withUnsafeBufferPointer { h in
                switch activation {
                case .identity: return
                case .tanh: for i in g.indices { g[i] *= 1 - h[i] * h[i] }
                case .relu: for i in g.indices { g[i] = h[i] > 0 ? g[i] : 0 }
                case .elu: for i in g.indices { g[i] *= h[i] > 0 ? 1 : h[i] + 1 }
                }
            }
        }
    }
}

extension MLP.Layer {
    fileprivate func offsetIsLast(in layers: [MLP.Layer]) -> Bool { weightsOffset == layers.last!.weightsOffset }
}
