/// The constants of the format's `tanh` and `eˣ − 1` (`Activation.tanh`, `Activation.expMinusOne`
/// in PolicyFormat), restated as data so the ONNX writer can emit them. PolicyFormat keeps them
/// inline in its hot functions; `FormatArithmeticConstantsTests` re-evaluates these in the same
/// order and requires bit-identical results to PolicyFormat's on every tested input, so a change
/// there that is not made here fails the tests.
enum FormatArithmeticConstants {
    /// tanh's argument is clamped to ±this before the rational function.
    static let tanhClampBound: Float = 7.90531110763549805
    /// Numerator coefficients, highest power first: a₁₃, a₁₁, …, a₁ (odd powers of x).
    static let tanhNumerator: [Float] = [
        -2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11, 5.12229709037114e-08,
        1.48572235717979e-05, 6.37261928875436e-04, 4.89352455891786e-03,
    ]
    /// Denominator coefficients, highest power first: b₆, b₄, b₂, b₀ (even powers of x).
    static let tanhDenominator: [Float] = [
        1.19825839466702e-06, 1.18534705686654e-04, 2.26843463243900e-03, 4.89352518554385e-03,
    ]

    /// log₂e for k = round(x·log₂e).
    static let log2e: Float = 1.44269504088896341
    /// ln 2 = high + low (Cody–Waite split).
    static let ln2High: Float = 0.693145751953125
    static let ln2Low: Float = 1.428606765330187045e-06
    /// Taylor coefficients of (eʳ − 1 − r)/r², highest first: 1/7!, 1/6!, …, 1/2! — each the
    /// float32 quotient, as the Float literals `1.0 / 5040` etc. evaluate.
    static let taylor: [Float] = [Float(1) / 5040, Float(1) / 720, Float(1) / 120, Float(1) / 24, Float(1) / 6, 0.5]
    /// ELU's lower clamp: below it eˣ − 1 is −1 in float32.
    static let expMinusOneLowerBound: Float = -88

    /// `Activation.tanh` restated from the constants above, for the drift test.
    static func tanh(_ value: Float) -> Float {
        let c = tanhClampBound
        let x = value < -c ? -c : (value > c ? c : value)
        let x2 = x * x
        var p = tanhNumerator[0]
        for a in tanhNumerator.dropFirst() { p = p * x2 + a }
        p = p * x
        var q = tanhDenominator[0]
        for b in tanhDenominator.dropFirst() { q = q * x2 + b }
        return p / q
    }

    /// `Activation.expMinusOne` restated from the constants above, with 2ᵏ as the ONNX graph
    /// computes it (a power, not a bit pattern), for the drift test.
    static func expMinusOne(_ value: Float) -> Float {
        let x = value < expMinusOneLowerBound ? expMinusOneLowerBound : (value > 0 ? 0 : value)
        let k = (x * log2e).rounded(.toNearestOrEven)
        let r = (x - k * ln2High) - k * ln2Low
        var p = taylor[0]
        for c in taylor.dropFirst() { p = p * r + c }
        p = p * r * r + r
        let twoToK = Float(sign: .plus, exponent: Int(k), significand: 1)
        return twoToK * p + (twoToK - 1)
    }
}
