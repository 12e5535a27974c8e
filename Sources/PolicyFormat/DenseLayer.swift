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
        for o in 0..<outputCount { output[o] = biases[o] }
        for i in 0..<inputCount {
            let x = input[i]
            let row = weights + i * outputCount
            // Independent accumulators per output: vectorises across o without reordering
            // any single output's sum.
            for o in 0..<outputCount { output[o] += x * row[o] }
        }
        activation.apply(output, count: outputCount)
    }
}
