/// Temporally correlated standard-normal noise for exploration (Eberhard et al. 2023, "Pink
/// noise is all you need"): a sequence of N steps whose power spectrum falls as 1/f^β, drawn in
/// the frequency domain and summed back, then scaled to unit variance:
///
///     x_t = c · Σ_{k=1}^{N/2} k^(−β/2) · (a_k cos(2πkt/N) + b_k sin(2πkt/N)),  a_k, b_k ~ N(0, 1)
///     c = 1 / √(Σ_k k^(−β))
///
/// Every x_t is then exactly N(0, 1) (a sum of independent Gaussians with unit total variance),
/// so SAC's log-probabilities and entropy target stay those of its Gaussian; only neighbouring
/// steps are correlated, which makes the motor commands smooth (β = 0 is white noise). The
/// sum is a direct DFT over a cosine/sine table — N²/2 multiply-adds once per sequence (about a
/// millisecond for N = 1000), no allocation.
public struct ColoredNoise: Sendable {
    public let length: Int
    public let exponent: Float
    /// cos(2πm/N), sin(2πm/N) for m = 0…N−1.
    private let cosTable: [Float]
    private let sinTable: [Float]
    /// k^(−β/2) · c for k = 1…N/2.
    private let amplitudes: [Float]
    private var coefficients: [Float]

    public init(length: Int, exponent: Float) {
        precondition(length >= 2, "ColoredNoise: length \(length) < 2")
        self.length = length
        self.exponent = exponent
        cosTable = (0..<length).map { Float(_cos(2 * Double.pi * Double($0) / Double(length))) }
        sinTable = (0..<length).map { Float(_sin(2 * Double.pi * Double($0) / Double(length))) }
        let half = length / 2
        let raw = (1...half).map { _exp(-0.5 * Double(exponent) * _log(Double($0))) }
        let norm = 1 / raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
        amplitudes = raw.map { Float($0 * norm) }
        coefficients = Array(repeating: 0, count: 2 * half)
    }

    /// Draw one sequence of `length` values into `output`.
    public mutating func draw(into output: UnsafeMutablePointer<Float>, rng: inout Xoshiro256StarStar) {
        let n = length, half = n / 2
        coefficients.withUnsafeMutableBufferPointer { c in
            for k in 0..<half {
                c[2 * k] = Float(rng.nextGaussian()) * amplitudes[k]
                c[2 * k + 1] = Float(rng.nextGaussian()) * amplitudes[k]
            }
        }
        cosTable.withUnsafeBufferPointer { cosine in
            sinTable.withUnsafeBufferPointer { sine in
                coefficients.withUnsafeBufferPointer { c in
                    for t in 0..<n {
                        var x: Float = 0
                        var m = 0   // (k·t) mod N, advanced by t per k
                        for k in 1...half {
                            m += t
                            if m >= n { m -= n }
                            x += c[2 * (k - 1)] * cosine[m] + c[2 * (k - 1) + 1] * sine[m]
                        }
                        output[t] = x
                    }
                }
            }
        }
    }
}
