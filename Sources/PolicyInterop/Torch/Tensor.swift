/// A dense tensor read from a checkpoint: its shape and its values in row-major order,
/// widened to Double (exact for float32, float16, bfloat16 and integers up to 2⁵³).
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Double]
    /// The stored element type, e.g. "float32".
    public var dtype: String

    public var count: Int { values.count }

    /// Values as float32 (the format's type); exact for float32 tensors.
    public var floats: [Float] { values.map { Float($0) } }
}
