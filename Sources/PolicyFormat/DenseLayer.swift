/// One fully connected layer of a policy network: y = f(b + xW).
///
/// `weights` is inputCount × outputCount, row-major by input: the weight from input i to
/// output o is `weights[i * outputCount + o]` (the layout of W in Y = XW, as the trainer's
/// batched products use it). The format fixes the order of the arithmetic so that every
/// implementation gets the same bits:
///
///     y_o = b_o;  for i = 0, 1, …, inputCount − 1:  y_o = y_o + x_i · W[i][o]   (float32, no FMA)
///     y_o = f(y_o)
public struct DenseLayer: Sendable, Equatable, Hashable {
    public var inputCount: Int
    public var outputCount: Int
    public var activation: Activation
    /// inputCount × outputCount, row-major by input.
    public var weights: [Float]
    /// outputCount.
    public var biases: [Float]

    public init(inputCount: Int, outputCount: Int, activation: Activation, weights: [Float], biases: [Float]) {
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.activation = activation
        self.weights = weights
        self.biases = biases
    }

    /// The format's forward pass for one sample: `output` (outputCount) = f(b + xW).
    /// `output` must not alias `input`.
    @inlinable
    public static func forward(input: UnsafePointer<Float>, inputCount: Int,
                               weights: UnsafePointer<Float>, biases: UnsafePointer<Float>,
                               outputCount: Int, activation: Activation,
                               output: UnsafeMutablePointer<Float>) {
        // Blocks of 16 outputs stay in four SIMD4 registers while every input is added in
        // order; each lane does exactly the scalar recurrence above (mul then add, no FMA), so
        // the result is the documented one, bit for bit, just without reloading y per input.
        var o = 0
        while o + 16 <= outputCount {
            let b = UnsafeRawPointer(biases + o)
            var y0 = b.loadUnaligned(as: SIMD4<Float>.self)
            var y1 = b.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
            var y2 = b.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self)
            var y3 = b.loadUnaligned(fromByteOffset: 48, as: SIMD4<Float>.self)
            for i in 0..<inputCount {
                let x = SIMD4<Float>(repeating: input[i])
                let w = UnsafeRawPointer(weights + i * outputCount + o)
                y0 += x * w.loadUnaligned(as: SIMD4<Float>.self)
                y1 += x * w.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
                y2 += x * w.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self)
                y3 += x * w.loadUnaligned(fromByteOffset: 48, as: SIMD4<Float>.self)
            }
            let out = UnsafeMutableRawPointer(output + o)
            out.storeBytes(of: y0, as: SIMD4<Float>.self)
            out.storeBytes(of: y1, toByteOffset: 16, as: SIMD4<Float>.self)
            out.storeBytes(of: y2, toByteOffset: 32, as: SIMD4<Float>.self)
            out.storeBytes(of: y3, toByteOffset: 48, as: SIMD4<Float>.self)
            o += 16
        }
        while o < outputCount {
            var y = biases[o]
            for i in 0..<inputCount { y += input[i] * weights[i * outputCount + o] }
            output[o] = y
            o += 1
        }
        activation.apply(output, count: outputCount)
    }
}
