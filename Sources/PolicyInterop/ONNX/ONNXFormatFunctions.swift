

/// The format's own `tanh` and `eˣ − 1` (docs/policy-format.md) as ONNX subgraphs of plain
/// float32 Clip/Mul/Add/Sub/Div/Round/Pow nodes, in exactly the order `Activation.tanh` and
/// `Activation.expMinusOne` evaluate them. ONNX's `Tanh` and `Elu` operators would compute libm's
/// (or a runtime's own) approximations instead, which differ from ours by up to ~4e-7 per use
/// and more after the following layers; written out, every elementwise step is the same IEEE-754
/// operation as ours, and only the MatMul's summation order (the runtime's GEMM) differs.
extension ONNXGraphBuilder {
    /// tanh x ≈ p(x)/q(x) on x clamped to ±7.90531110763549805:
    ///     p = x·(a₁ + x²(a₃ + … + x²a₁₃)),  q = b₀ + x²(b₂ + x²(b₄ + x²b₆)),
    /// Horner steps `p ← p·x² + aₖ` exactly as in `Activation.tanh`.
    mutating func formatTanh(_ input: String, prefix: String) -> String {
        let c = FormatArithmeticConstants.tanhClampBound
        let x = node("Clip", [input, scalar("\(prefix)/-c", -c), scalar("\(prefix)/c", c)], "\(prefix)/x")
        let x2 = node("Mul", [x, x], "\(prefix)/x2")
        let numerator = FormatArithmeticConstants.tanhNumerator, denominator = FormatArithmeticConstants.tanhDenominator
        // p starts as the highest coefficient; `p·x²` is written Mul(x², p) for the first step
        // (the same product: IEEE multiplication is commutative).
        var p = scalar("\(prefix)/a0", numerator[0])
        for (k, a) in numerator.dropFirst().enumerated() {
            let product = node("Mul", [p, x2], "\(prefix)/p\(k)x2")
            p = node("Add", [product, scalar("\(prefix)/a\(k + 1)", a)], "\(prefix)/p\(k)")
        }
        p = node("Mul", [p, x], "\(prefix)/p")
        var q = scalar("\(prefix)/b0", denominator[0])
        for (k, b) in denominator.dropFirst().enumerated() {
            let product = node("Mul", [q, x2], "\(prefix)/q\(k)x2")
            q = node("Add", [product, scalar("\(prefix)/b\(k + 1)", b)], "\(prefix)/q\(k)")
        }
        return node("Div", [p, q], "\(prefix)/tanh")
    }

    /// ELU: x for x > 0, else `Activation.expMinusOne(x)`:
    ///     x ← clamp(x, −88, 0);  k = round_half_even(x·log₂e);  r = (x − k·ln2_hi) − k·ln2_lo
    ///     p = Horner(1/5040 … 1/2) in r;  p = p·r·r + r            (eʳ − 1)
    ///     eˣ − 1 = 2ᵏ·p + (2ᵏ − 1),   2ᵏ by Pow(2, k) (exact: k is an integer in −127…0)
    mutating func formatElu(_ input: String, prefix: String) -> String {
        typealias E = FormatArithmeticConstants
        let x = node("Clip", [input, scalar("\(prefix)/-88", E.expMinusOneLowerBound), scalar("\(prefix)/0", 0)], "\(prefix)/x")
        let k = node("Round", [node("Mul", [x, scalar("\(prefix)/log2e", E.log2e)], "\(prefix)/xlog2e")], "\(prefix)/k")
        let high = node("Sub", [x, node("Mul", [k, scalar("\(prefix)/ln2hi", E.ln2High)], "\(prefix)/kln2hi")], "\(prefix)/rhi")
        let r = node("Sub", [high, node("Mul", [k, scalar("\(prefix)/ln2lo", E.ln2Low)], "\(prefix)/kln2lo")], "\(prefix)/r")
        var p = scalar("\(prefix)/c0", E.taylor[0])
        for (j, c) in E.taylor.dropFirst().enumerated() {
            let product = node("Mul", [p, r], "\(prefix)/p\(j)r")
            p = node("Add", [product, scalar("\(prefix)/c\(j + 1)", c)], "\(prefix)/p\(j)")
        }
        let pr = node("Mul", [p, r], "\(prefix)/pr")
        let prr = node("Mul", [pr, r], "\(prefix)/prr")
        let em1r = node("Add", [prr, r], "\(prefix)/em1r")
        let twoToK = node("Pow", [scalar("\(prefix)/2", 2), k], "\(prefix)/2k")
        let scaled = node("Mul", [twoToK, em1r], "\(prefix)/2k_em1r")
        let em1 = node("Add", [scaled, node("Sub", [twoToK, scalar("\(prefix)/1", 1)], "\(prefix)/2k-1")], "\(prefix)/em1")
        let positive = node("Greater", [input, scalar("\(prefix)/zero", 0)], "\(prefix)/positive")
        return node("Where", [positive, input, em1], "\(prefix)/elu")
    }
}
