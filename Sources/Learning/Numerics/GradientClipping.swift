/// Global gradient-norm clipping: treat all gradient vectors as one, and if its Euclidean norm
/// ‖g‖ exceeds `maxNorm`, scale every component by maxNorm/‖g‖ (direction kept).
public enum GradientClipping {
    /// √(Σ over all vectors and components of g²), accumulated in Double.
    public static func globalNorm(_ vectors: [[Float]]) -> Float {
        var sum = 0.0
        for vector in vectors {
            vector.withUnsafeBufferPointer { g in
                var partial: Float = 0
                for x in g { partial += x * x }
                sum += Double(partial)
            }
        }
        return Float(sum.squareRoot())
    }

    /// The factor to multiply gradients by: min(1, maxNorm / norm).
    public static func scaleFactor(norm: Float, maxNorm: Float) -> Float {
        norm > maxNorm && norm > 0 ? maxNorm / norm : 1
    }

    /// Multiply `vector` by `factor` in place.
    public static func scale(_ vector: inout [Float], by factor: Float) {
        guard factor != 1 else { return }
        vector.withUnsafeMutableBufferPointer { g in for i in g.indices { g[i] *= factor } }
    }
}
