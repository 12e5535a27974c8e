import Foundation
import MotorModel

/// How well the recordings pin each fitted parameter down, from the curvature of the loss at
/// the optimum (Gauss–Newton): with residuals r (M terms) and their Jacobian J = ∂r/∂p by
/// central differences (step 10⁻³ of each parameter's search range),
///
///     Cov(p) ≈ s²·(JᵀJ)⁻¹,   s² = ‖r‖²/(M − P)
///
/// σ_joint = √Cov_jj is the uncertainty with every other parameter free; σ_alone = s/‖J_j‖
/// is what it would be if this were the only unknown. The reported uncertainty is the larger
/// of σ_joint and the CMA-ES spread left at the end (a search that has not settled knows less
/// than the curvature says). Residuals of neighbouring samples are correlated (timing jitter,
/// a misfit that lasts a swing), which the formula above ignores; s² is therefore inflated by
/// the integrated autocorrelation of the residual series, 1 + 2·Σ_k ρ_k (lags summed until
/// ρ_k first drops below 0, at most 100 samples), i.e. the residuals count as N/(1 + 2Σρ)
/// independent ones. Still an estimate, good to a factor of about 2.
///
/// The curvature only knows noise. A replay that does not reproduce the robot (timing it does
/// not model, a friction law that is not the robot's) biases the optimum instead, and the
/// recordings then disagree: each recording d alone, linearised at the joint optimum, would
/// move the parameters by the Gauss–Newton step δ_d = −(J_dᵀJ_d)⁺J_dᵀr_d. The model-mismatch
/// spread of parameter j is the largest |δ_d,j| among the recordings that pin j down by
/// themselves (their own σ_d,j within the tolerance below); it enters the uncertainty too.
///
/// A parameter is identifiable when its uncertainty is within `relativeTolerance` (2 %) of
/// max(|value|, 5 % of its search range); otherwise the reason is:
/// - "barely excited": even alone (σ_alone) it would miss the tolerance — the recordings do not
///   move it (e.g. a current limit never reached, a damping too small to show);
/// - "confounded with X": alone it would be pinned, but a combination with X (the parameter
///   most correlated with it, |ρ| given) changes the trajectories as little as noise;
/// - "recordings disagree": each recording pins it, but they want different values (model
///   mismatch, the shift given);
/// - "search not settled": the curvature pins it but the search ran out of generations.
public struct Identifiability: Sendable {
    public struct Entry: Sendable {
        public var key: String
        public var value: Double
        public var uncertainty: Double
        public var aloneUncertainty: Double
        public var searchSpread: Double
        /// Largest shift one recording alone would make (model mismatch), 0 with one recording.
        public var mismatchSpread: Double
        public var identifiable: Bool
        public var reason: String?
    }

    public static let relativeTolerance = 0.02
    public var entries: [Entry]
    public var residualRMS: Double

    public static func analyse(space: ParameterSpace, fit: ParameterFit.Result, pool: ReplayPool) -> Identifiability {
        let p = space.entries.count
        let values = space.values(at: fit.coordinates)
        var candidates: [RobotParameters] = [fit.robot]
        var steps: [Double] = []
        for (j, entry) in space.entries.enumerated() {
            let h = 1e-3 * (entry.bounds.upperBound - entry.bounds.lowerBound)
            steps.append(h)
            for sign in [1.0, -1.0] {
                var robot = fit.robot
                entry.parameter.set(values[j] + sign * h, in: &robot)
                candidates.append(robot)
            }
        }
        let residuals = pool.residuals(candidates)
        let r0 = residuals[0]
        let m = r0.count
        var jacobian = [[Double]](repeating: [Double](repeating: 0, count: m), count: p)
        for j in 0..<p {
            let plus = residuals[1 + 2 * j], minus = residuals[2 + 2 * j]
            for i in 0..<m { jacobian[j][i] = (plus[i] - minus[i]) / (2 * steps[j]) }
        }
        var jtj = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for a in 0..<p { for b in a..<p {
            var sum = 0.0
            for i in 0..<m { sum += jacobian[a][i] * jacobian[b][i] }
            jtj[a][b] = sum; jtj[b][a] = sum
        } }
        let squared = r0.reduce(0) { $0 + $1 * $1 }
        let s2 = squared / Double(max(m - p, 1)) * autocorrelationInflation(r0, stride: 4)
        let inverse = SymmetricEigen.pseudoInverse(jtj)
        // Per recording: the Gauss–Newton step it alone would take, and its own σ.
        var mismatch = [Double](repeating: 0, count: p)
        var mismatchSource = [String](repeating: "", count: p)
        let rowCounts = pool.data.map { 4 * $0.sampleCount }
        if rowCounts.count > 1, rowCounts.reduce(0, +) == m {
            var offset = 0
            for (d, rows) in rowCounts.enumerated() {
                let range = offset..<(offset + rows)
                offset += rows
                guard rows > p else { continue }
                var a = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
                var g = [Double](repeating: 0, count: p)
                var squares = 0.0
                for i in range { squares += r0[i] * r0[i] }
                for x in 0..<p {
                    for i in range { g[x] += jacobian[x][i] * r0[i] }
                    for y in x..<p {
                        var sum = 0.0
                        for i in range { sum += jacobian[x][i] * jacobian[y][i] }
                        a[x][y] = sum; a[y][x] = sum
                    }
                }
                let slice = Array(r0[range])
                let s2d = squares / Double(rows - p) * autocorrelationInflation(slice, stride: 4)
                let inv = SymmetricEigen.pseudoInverse(a)
                for j in 0..<p {
                    let sigma = (s2d * inv[j][j]).squareRoot()
                    let width = space.entries[j].bounds.upperBound - space.entries[j].bounds.lowerBound
                    guard sigma.isFinite, sigma <= relativeTolerance * max(abs(values[j]), 0.05 * width) else { continue }
                    var step = 0.0
                    for k in 0..<p where inv[j][k].isFinite { step -= inv[j][k] * g[k] }
                    if abs(step) > mismatch[j] {
                        mismatch[j] = abs(step)
                        mismatchSource[j] = URL(fileURLWithPath: pool.data[d].file).lastPathComponent
                    }
                }
            }
        }
        var entries: [Entry] = []
        for (j, entry) in space.entries.enumerated() {
            let width = entry.bounds.upperBound - entry.bounds.lowerBound
            let joint = (s2 * inverse[j][j]).squareRoot()
            let alone = jtj[j][j] > 0 ? (s2 / jtj[j][j]).squareRoot() : .infinity
            // The CMA-ES spread, from the unit cube to the parameter's units at the optimum.
            let u = fit.coordinates[j]
            let du = max(1e-6, fit.spread[j])
            let spread = abs(entry.value(min(1, u + du)) - entry.value(max(0, u - du))) / 2
            let uncertainty = max(joint.isNaN ? .infinity : joint, spread, mismatch[j])
            let scale = max(abs(values[j]), 0.05 * width)
            let tolerance = relativeTolerance * scale
            var reason: String?
            if !(uncertainty <= tolerance) {
                if !(alone <= tolerance) {
                    reason = "barely excited: even as the only unknown it would be known to ±\(TunedDescription.format(alone)) only; "
                        + "the recordings hardly change with it"
                } else if mismatch[j] > tolerance && mismatch[j] >= max(joint, spread) {
                    reason = "recordings disagree: \(mismatchSource[j]) alone would move it by \(TunedDescription.format(mismatch[j])); "
                        + "the replay does not reproduce the robot exactly (timing, friction), so the value is biased"
                } else if joint > tolerance {
                    var partner = -1, rho = 0.0
                    for k in 0..<p where k != j {
                        let denominator = (inverse[j][j] * inverse[k][k]).squareRoot()
                        let c = denominator.isFinite && denominator > 0 ? inverse[j][k] / denominator : 0
                        if abs(c) > abs(rho) || partner < 0 { partner = k; rho = c }
                    }
                    reason = partner >= 0 && inverse[j][j].isFinite
                        ? "confounded with \(space.entries[partner].parameter.key) (correlation \(String(format: "%.3f", rho))): "
                          + "a combination of the two changes the trajectories no more than noise"
                        : "confounded: some combination with the other parameters leaves the trajectories unchanged"
                } else {
                    reason = "search not settled: the CMA-ES spread ±\(TunedDescription.format(spread)) is still wide; "
                        + "give more --generations or a longer recording"
                }
            }
            entries.append(Entry(key: entry.parameter.key, value: values[j], uncertainty: uncertainty, aloneUncertainty: alone,
                                 searchSpread: spread, mismatchSpread: mismatch[j], identifiable: reason == nil, reason: reason))
        }
        return Identifiability(entries: entries, residualRMS: (squared / Double(max(m, 1))).squareRoot())
    }

    /// 1 + 2·Σ_k ρ_k over the `stride` interleaved series (the four residual kinds per sample),
    /// the largest of them; ≥ 1.
    static func autocorrelationInflation(_ r: [Double], stride: Int) -> Double {
        var worst = 1.0
        for offset in 0..<stride {
            let series = Swift.stride(from: offset, to: r.count, by: stride).map { r[$0] }
            let n = series.count
            guard n > 10 else { continue }
            let mean = series.reduce(0, +) / Double(n)
            let variance = series.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
            guard variance > 0 else { continue }
            var sum = 0.0
            for lag in 1..<min(100, n / 2) {
                var c = 0.0
                for i in 0..<(n - lag) { c += (series[i] - mean) * (series[i + lag] - mean) }
                let rho = c / (Double(n) * variance)
                if rho < 0 { break }
                sum += rho
            }
            worst = max(worst, 1 + 2 * sum)
        }
        return worst
    }
}
