import Foundation
import MotorModel

/// How well the recordings pin each fitted parameter down, from the curvature of the loss at
/// the optimum (Gauss–Newton): with residuals r (M terms) and their Jacobian J = ∂r/∂p by
/// central differences (step 10⁻³ of each parameter's search range),
///
///     Cov(p) ≈ s²·(JᵀJ)⁻¹,   s² = ‖r‖²/(M − P)
///
/// σ_joint = √Cov_jj is the uncertainty with every other parameter free; σ_alone = s/‖J_j‖
/// is what it would be if this were the only unknown. The reported uncertainty is the largest
/// of σ_joint, the mismatch spread below and the search's last step or spread at the end (a
/// search that has not settled knows less than the curvature says). Residuals of neighbouring samples are correlated (timing jitter,
/// a misfit that lasts a swing), which the formula above ignores; s² is therefore inflated by
/// the integrated autocorrelation of the residual series, 1 + 2·Σ_k ρ_k (lags summed until
/// ρ_k first drops below 0, at most 100 samples), i.e. the residuals count as N/(1 + 2Σρ)
/// independent ones. Still an estimate, good to a factor of about 2.
///
/// The curvature only knows noise. A replay that does not reproduce the robot (timing it does
/// not model, a friction law that is not the robot's) biases the optimum instead, and the
/// parts of the recordings then disagree: `PartConsistency` cuts each recording into
/// `partsPerRecording` parts and linearises, at the joint optimum, what each part alone says
/// about each parameter it pins by itself, and what all parts but one say (leave-one-out, the
/// jackknife). The model-mismatch spread of parameter j is the largest distance of any of those
/// estimates from the joint value; it enters the uncertainty too.
///
/// A parameter is identifiable when its uncertainty is within `relativeTolerance` (2 %) of
/// max(|value|, 5 % of its search range) *and* it is cross-checked: at least
/// `minimumAgreeingParts` (2) parts pin it by themselves, or no part is needed to pin it
/// (leaving out any one part, the rest still does). A value that one part alone determines
/// cannot show that part's bias (measured: k_e pinned jointly to ±1.9 % while 11.6 % off, with
/// no part pinning it alone and some part needed to pin it at all).
/// Otherwise the reason is:
/// - "barely excited": even alone (σ_alone) it would miss the tolerance — the recordings do not
///   move it (e.g. a current limit never reached, a damping too small to show);
/// - "recordings disagree": parts (or all but one) pin it, to different values (model
///   mismatch, both given);
/// - "confounded with X": alone it would be pinned, but a combination with X (the parameter
///   most correlated with it, |ρ| given) changes the trajectories as little as noise;
/// - "search not settled": the curvature pins it but the search ran out of generations;
/// - "not cross-checked": the joint fit pins it, but some one part is needed for that.
public struct Identifiability: Sendable {
    public struct Entry: Sendable {
        public var key: String
        public var value: Double
        public var uncertainty: Double
        public var aloneUncertainty: Double
        public var searchSpread: Double
        /// Largest distance of one part's own estimate from the joint value (model mismatch).
        public var mismatchSpread: Double
        /// What each part of the recordings that pins this parameter says about it, then what all
        /// parts but one say (when no part is needed to pin it).
        var partEstimates: [PartConsistency.Estimate]
        public var identifiable: Bool
        public var reason: String?
    }

    public static let relativeTolerance = 0.02
    /// Parts of the recordings that must pin a parameter by themselves (and agree) before it is
    /// reported identifiable, unless no single part is needed for it: one alone cannot show its
    /// own bias.
    public static let minimumAgreeingParts = 2
    public var entries: [Entry]
    public var residualRMS: Double

    public static func analyse(space: ParameterSpace, fit: ParameterFit.Result, pool: ReplayPool,
                               partsPerRecording: Int = 2) -> Identifiability {
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
        // Per part of the recordings: what it alone says about each parameter it pins.
        let tolerances = space.entries.enumerated().map { j, entry in
            relativeTolerance * max(abs(values[j]), 0.05 * (entry.bounds.upperBound - entry.bounds.lowerBound))
        }
        let parts = PartConsistency.parts(of: pool.data, perRecording: partsPerRecording)
        let analysis = parts.last?.rows.upperBound == m
            ? PartConsistency.analyse(parts: parts, jacobian: jacobian, residuals: r0, values: values, tolerances: tolerances)
            : PartConsistency.Analysis(alone: [[PartConsistency.Estimate]](repeating: [], count: p),
                                       leaveOneOut: [[PartConsistency.Estimate]?](repeating: nil, count: p))
        let estimates = analysis.alone
        let mismatch = (0..<p).map { j in
            (estimates[j] + (analysis.leaveOneOut[j] ?? [])).map { abs($0.value - values[j]) }.max() ?? 0
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
                    let sorted = (estimates[j] + (analysis.leaveOneOut[j] ?? [])).sorted { $0.value < $1.value }
                    let f = TunedDescription.format
                    let says = sorted.count == 1
                        ? "\(sorted[0].part) alone says \(f(sorted[0].value)), the joint fit \(f(values[j]))"
                        : "\(sorted.first!.part) alone says \(f(sorted.first!.value)), \(sorted.last!.part) \(f(sorted.last!.value))"
                    reason = "recordings disagree: \(says); "
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
            } else if estimates[j].count < minimumAgreeingParts && analysis.leaveOneOut[j] == nil {
                let needed = "and some part is needed to pin it (without it the rest would not), so a bias of the replay there would go unseen"
                reason = estimates[j].isEmpty
                    ? "not cross-checked: no part of the recordings pins it by itself, \(needed)"
                    : "not cross-checked: only \(estimates[j][0].part) pins it by itself, \(needed); "
                      + "record more of the excitation that moves it"
            }
            entries.append(Entry(key: entry.parameter.key, value: values[j], uncertainty: uncertainty, aloneUncertainty: alone,
                                 searchSpread: spread, mismatchSpread: mismatch[j],
                                 partEstimates: estimates[j] + (analysis.leaveOneOut[j] ?? []),
                                 identifiable: reason == nil, reason: reason))
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
