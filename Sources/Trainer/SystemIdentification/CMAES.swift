import Foundation

/// (μ/μ_w, λ)-CMA-ES with cumulative step-size adaptation and rank-one + rank-μ covariance
/// updates, as in N. Hansen, "The CMA Evolution Strategy: A Tutorial" (arXiv:1604.00772),
/// Table 1 defaults with positive weights only. Minimises over ℝⁿ; ask/tell, so the caller
/// evaluates a generation however it likes (here: in parallel on worker threads).
///
/// Per generation g, with mean m, step size σ, covariance C = B·D²·Bᵀ:
///
///     x_k = m + σ·B·D·z_k,  z_k ~ N(0, I)                                   sample λ candidates
///     m' = Σᵢ wᵢ·x_{i:λ}      y_w = (m' − m)/σ                               recombine the best μ
///     p_σ ← (1 − c_σ)·p_σ + √(c_σ(2 − c_σ)μ_eff)·C^{−½}·y_w                   step-size path
///     σ ← σ·exp((c_σ/d_σ)(‖p_σ‖/E‖N(0,I)‖ − 1))
///     h_σ = 1 if ‖p_σ‖/√(1 − (1 − c_σ)^{2(g+1)}) < (1.4 + 2/(n + 1))·E‖N(0,I)‖, else 0
///     p_c ← (1 − c_c)·p_c + h_σ·√(c_c(2 − c_c)μ_eff)·y_w                     covariance path
///     C ← (1 − c₁ − c_μ)·C + c₁·(p_c·p_cᵀ + (1 − h_σ)c_c(2 − c_c)·C) + c_μ·Σᵢ wᵢ·yᵢ·yᵢᵀ
///
/// with λ = 4 + ⌊3 ln n⌋, μ = ⌊λ/2⌋, wᵢ ∝ ln((λ + 1)/2) − ln i, μ_eff = (Σw)²/Σw²,
/// c_c = (4 + μ_eff/n)/(n + 4 + 2μ_eff/n), c_σ = (μ_eff + 2)/(n + μ_eff + 5),
/// c₁ = 2/((n + 1.3)² + μ_eff), c_μ = min(1 − c₁, 2(μ_eff − 2 + 1/μ_eff)/((n + 2)² + μ_eff)),
/// d_σ = 1 + 2·max(0, √((μ_eff − 1)/(n + 1)) − 1) + c_σ, E‖N(0,I)‖ ≈ √n(1 − 1/(4n) + 1/(21n²)).
public struct CMAES: Sendable {
    public let dimension: Int
    public let populationSize: Int
    public let parentCount: Int
    public private(set) var mean: [Double]
    public private(set) var stepSize: Double
    public private(set) var generation = 0
    /// The best point evaluated so far and its value.
    public private(set) var best: (x: [Double], value: Double)?

    let weights: [Double]
    let muEff, cc, cs, c1, cmu, damps, chiN: Double
    private(set) var covariance: [[Double]]
    private var basis: [[Double]]      // B: columns are eigenvectors of C
    private var scales: [Double]       // D: square roots of C's eigenvalues
    private var pathC: [Double]
    private var pathSigma: [Double]
    private var random: GaussianSource
    private var lastSamples: [[Double]] = []

    /// - Parameters:
    ///   - start: the initial mean m₀.
    ///   - stepSize: σ₀, in the units of the search space (about ¼ of the search range).
    ///   - populationSize: λ; nil for the default 4 + ⌊3 ln n⌋.
    public init(start: [Double], stepSize: Double, populationSize requested: Int? = nil, seed: UInt64) {
        let n = start.count
        precondition(n >= 1)
        dimension = n
        mean = start
        self.stepSize = stepSize
        let lambda = max(requested ?? (4 + Int(3 * log(Double(n)))), 4)
        populationSize = lambda
        parentCount = lambda / 2
        let raw = (1...parentCount).map { log(Double(lambda + 1) / 2) - log(Double($0)) }
        let sum = raw.reduce(0, +)
        weights = raw.map { $0 / sum }
        let mu = 1 / weights.reduce(0) { $0 + $1 * $1 }
        muEff = mu
        let nd = Double(n)
        cc = (4 + mu / nd) / (nd + 4 + 2 * mu / nd)
        cs = (mu + 2) / (nd + mu + 5)
        c1 = 2 / ((nd + 1.3) * (nd + 1.3) + mu)
        cmu = min(1 - c1, 2 * (mu - 2 + 1 / mu) / ((nd + 2) * (nd + 2) + mu))
        damps = 1 + 2 * max(0, ((mu - 1) / (nd + 1)).squareRoot() - 1) + cs
        chiN = nd.squareRoot() * (1 - 1 / (4 * nd) + 1 / (21 * nd * nd))
        covariance = Self.identity(n)
        basis = Self.identity(n)
        scales = Array(repeating: 1, count: n)
        pathC = Array(repeating: 0, count: n)
        pathSigma = Array(repeating: 0, count: n)
        random = GaussianSource(seed: seed)
    }

    /// λ new candidates x_k = m + σ·B·D·z_k.
    public mutating func ask() -> [[Double]] {
        var samples: [[Double]] = []
        for _ in 0..<populationSize {
            let z = (0..<dimension).map { _ in random.next() }
            var x = mean
            for i in 0..<dimension {
                var bdz = 0.0
                for j in 0..<dimension { bdz += basis[i][j] * scales[j] * z[j] }
                x[i] += stepSize * bdz
            }
            samples.append(x)
        }
        lastSamples = samples
        return samples
    }

    /// Updates the distribution from the values of the candidates `ask` returned (lower is better).
    public mutating func tell(_ values: [Double]) {
        precondition(values.count == lastSamples.count)
        let n = dimension
        let order = values.indices.sorted { values[$0] < values[$1] }
        if let first = order.first, best == nil || values[first] < best!.value { best = (lastSamples[first], values[first]) }
        let old = mean
        var newMean = Array(repeating: 0.0, count: n)
        for (rank, index) in order.prefix(parentCount).enumerated() {
            for i in 0..<n { newMean[i] += weights[rank] * lastSamples[index][i] }
        }
        mean = newMean
        let yw = (0..<n).map { (newMean[$0] - old[$0]) / stepSize }

        // C^{−½}·y_w = B·D⁻¹·Bᵀ·y_w
        var bty = Array(repeating: 0.0, count: n)
        for j in 0..<n { for i in 0..<n { bty[j] += basis[i][j] * yw[i] } }
        for j in 0..<n { bty[j] /= scales[j] }
        var invSqrtCy = Array(repeating: 0.0, count: n)
        for i in 0..<n { for j in 0..<n { invSqrtCy[i] += basis[i][j] * bty[j] } }
        let csFactor = (cs * (2 - cs) * muEff).squareRoot()
        for i in 0..<n { pathSigma[i] = (1 - cs) * pathSigma[i] + csFactor * invSqrtCy[i] }
        let psNorm = pathSigma.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let hsigma = psNorm / (1 - pow(1 - cs, 2 * Double(generation + 1))).squareRoot() < (1.4 + 2 / Double(n + 1)) * chiN ? 1.0 : 0.0
        let ccFactor = (cc * (2 - cc) * muEff).squareRoot()
        for i in 0..<n { pathC[i] = (1 - cc) * pathC[i] + hsigma * ccFactor * yw[i] }

        // Rank-one and rank-μ updates.
        let ys = order.prefix(parentCount).map { index in (0..<n).map { (lastSamples[index][$0] - old[$0]) / stepSize } }
        let deltaH = (1 - hsigma) * cc * (2 - cc)
        for i in 0..<n {
            for j in 0...i {
                var rankMu = 0.0
                for (rank, y) in ys.enumerated() { rankMu += weights[rank] * y[i] * y[j] }
                let value = (1 - c1 - cmu) * covariance[i][j] + c1 * (pathC[i] * pathC[j] + deltaH * covariance[i][j]) + cmu * rankMu
                covariance[i][j] = value
                covariance[j][i] = value
            }
        }
        stepSize *= exp((cs / damps) * (psNorm / chiN - 1))
        generation += 1
        decompose()
    }

    /// Standard deviation of the search distribution along coordinate i: σ·√C_ii.
    public func coordinateDeviation(_ i: Int) -> Double { stepSize * covariance[i][i].squareRoot() }

    /// C = B·D²·Bᵀ by Jacobi rotations (C is small and symmetric).
    private mutating func decompose() {
        let (values, vectors) = SymmetricEigen.decompose(covariance)
        basis = vectors
        scales = values.map { max($0, 1e-20).squareRoot() }
    }

    static func identity(_ n: Int) -> [[Double]] {
        (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
    }
}

/// Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations: A = V·diag(λ)·Vᵀ.
enum SymmetricEigen {
    static func decompose(_ matrix: [[Double]]) -> (values: [Double], vectors: [[Double]]) {
        let n = matrix.count
        var a = matrix
        var v = CMAES.identity(n)
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { off += a[i][j] * a[i][j] } }
            if off < 1e-30 { break }
            for p in 0..<n {
                for q in (p + 1)..<max(p + 1, n) where abs(a[p][q]) > 1e-300 {
                    // Rotation angle that zeroes a[p][q]: tan 2φ = 2a_pq/(a_qq − a_pp).
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                    for k in 0..<n {
                        let vkp = v[k][p], vkq = v[k][q]
                        v[k][p] = c * vkp - s * vkq
                        v[k][q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<n).map { a[$0][$0] }, v)
    }

    /// A⁻¹ of a symmetric matrix through its eigen-decomposition; eigenvalues below
    /// `floor`·λ_max are treated as zero, their directions as infinitely uncertain (∞ on the
    /// diagonal of the parameters they involve).
    static func pseudoInverse(_ matrix: [[Double]], relativeFloor floor: Double = 1e-12) -> [[Double]] {
        let n = matrix.count
        let (values, vectors) = decompose(matrix)
        let largest = values.map(abs).max() ?? 0
        var inverse = Array(repeating: Array(repeating: 0.0, count: n), count: n)
        for k in 0..<n {
            let singular = !(values[k] > floor * largest)
            for i in 0..<n {
                for j in 0..<n {
                    if singular {
                        if abs(vectors[i][k]) > 0.05 && i == j { inverse[i][j] = .infinity }
                    } else if inverse[i][j].isFinite {
                        inverse[i][j] += vectors[i][k] * vectors[j][k] / values[k]
                    }
                }
            }
        }
        return inverse
    }
}

/// Standard normal numbers from SplitMix64 through Box–Muller; a fixed seed gives a fixed run.
struct GaussianSource: Sendable {
    private var state: UInt64
    private var spare: Double?

    init(seed: UInt64) { state = seed }

    private mutating func uniform() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (Double(z >> 11) + 0.5) / Double(1 << 53)
    }

    mutating func next() -> Double {
        if let spare { self.spare = nil; return spare }
        let r = (-2 * log(uniform())).squareRoot(), phi = 2 * Double.pi * uniform()
        spare = r * sin(phi)
        return r * cos(phi)
    }
}
