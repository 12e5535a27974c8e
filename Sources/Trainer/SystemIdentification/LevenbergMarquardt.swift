import Foundation

/// Levenberg–Marquardt on a box [0, 1]ⁿ: minimises the cost C(u) = Σᵢ rᵢ(u)² of a residual
/// vector r, every batch of points evaluated at once (the caller replays them in parallel).
///
/// Each iteration takes the Jacobian J = ∂r/∂u by forward differences (step `differenceStep`,
/// taken backwards at the upper face of the box) — n replays in one batch — and solves
///
///     (JᵀJ + μ·D)·δ = −Jᵀr,   D = diag(JᵀJ) (Marquardt's scaling, floored at 10⁻⁹·max)
///
/// for two damping values at once, μ and 10μ (one batch, so both worker threads stay busy);
/// the trial point is clamp(u + δ) (projected onto the box). The better trial is taken if it
/// lowers C, and μ shrinks by 3; if neither does, μ grows by 10 and the iteration retries
/// with the same Jacobian. Stops when an accepted step lowers C by less than
/// `relativeTolerance`·C, when every |δⱼ| is below `stepTolerance`, at `maxIterations`, or
/// when another iteration as long as the last would end past the deadline.
struct LevenbergMarquardt {
    struct Options {
        var maxIterations = 40
        var differenceStep = 1e-4
        var initialDamping = 1e-2
        var relativeTolerance = 1e-7
        var stepTolerance = 1e-6
    }

    struct Result {
        var point: [Double]
        var cost: Double
        var iterations: Int
        var evaluations: Int
        /// |δⱼ| of the last accepted step (how far the search was still moving).
        var lastStep: [Double]
        var stopReason: String
    }

    var options = Options()

    /// `residuals` evaluates a batch of points; `progress` gets (iteration, cost) after each.
    func minimise(start: [Double], startResiduals: [Double]? = nil, deadline: Date,
                  residuals: ([[Double]]) -> [[Double]], progress: (Int, Double) -> Void = { _, _ in }) -> Result {
        let n = start.count
        var u = start.map { min(max($0, 0), 1) }
        var r = startResiduals ?? residuals([u])[0]
        var cost = Self.cost(r)
        var mu = options.initialDamping
        var evaluations = startResiduals == nil ? 1 : 0
        var lastStep = [Double](repeating: 1, count: n)
        var iteration = 0
        var stopReason = "iteration limit (\(options.maxIterations))"
        var iterationStart = Date(), lastIterationSeconds = 0.0
        outer: while iteration < options.maxIterations {
            // Stop when another iteration like the last would end past the deadline.
            if iteration > 0 { lastIterationSeconds = Date().timeIntervalSince(iterationStart) }
            if Date().addingTimeInterval(lastIterationSeconds) > deadline { stopReason = "time budget"; break }
            iterationStart = Date()
            iteration += 1
            // Jacobian by forward differences, one batch.
            let steps = u.map { $0 + options.differenceStep <= 1 ? options.differenceStep : -options.differenceStep }
            let shifted = (0..<n).map { j -> [Double] in var p = u; p[j] += steps[j]; return p }
            let columns = residuals(shifted)
            evaluations += n
            let m = r.count
            var jtj = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
            var jtr = [Double](repeating: 0, count: n)
            var jacobian = [[Double]](repeating: [], count: n)
            for j in 0..<n {
                var column = [Double](repeating: 0, count: m)
                let rj = columns[j]
                if rj.count == m { for i in 0..<m { column[i] = (rj[i] - r[i]) / steps[j] } }
                jacobian[j] = column
            }
            for a in 0..<n {
                var g = 0.0
                for i in 0..<m { g += jacobian[a][i] * r[i] }
                jtr[a] = g
                for b in a..<n {
                    var s = 0.0
                    for i in 0..<m { s += jacobian[a][i] * jacobian[b][i] }
                    jtj[a][b] = s; jtj[b][a] = s
                }
            }
            let diagonalFloor = 1e-9 * max((0..<n).map { jtj[$0][$0] }.max() ?? 0, 1e-300)
            // Damped steps until one lowers the cost (at most 8 tries per Jacobian).
            for _ in 0..<8 {
                let dampings = [mu, 10 * mu]
                let trials = dampings.map { damping -> [Double] in
                    var a = jtj
                    for j in 0..<n { a[j][j] += damping * max(jtj[j][j], diagonalFloor) }
                    let delta = Self.solve(a, jtr.map { -$0 })
                    return zip(u, delta).map { min(max($0 + $1, 0), 1) }
                }
                let trialResiduals = residuals(trials)
                evaluations += trials.count
                let costs = trialResiduals.map { $0.count == m ? Self.cost($0) : .infinity }
                let k = costs[0] <= costs[1] ? 0 : 1
                if costs[k] < cost {
                    let improvement = cost - costs[k]
                    lastStep = zip(trials[k], u).map { abs($0 - $1) }
                    u = trials[k]; r = trialResiduals[k]
                    let previous = cost
                    cost = costs[k]
                    mu = max(dampings[k] / 3, 1e-9)
                    progress(iteration, cost)
                    if improvement < options.relativeTolerance * previous {
                        stopReason = "converged (cost change below \(options.relativeTolerance) relative)"
                        break outer
                    }
                    if lastStep.allSatisfy({ $0 < options.stepTolerance }) {
                        stopReason = "converged (every step below \(options.stepTolerance))"
                        break outer
                    }
                    continue outer
                }
                mu *= 100
                if Date() >= deadline { stopReason = "time budget"; break outer }
                if mu > 1e12 {
                    stopReason = "converged (no damped step lowers the cost)"
                    lastStep = [Double](repeating: 0, count: n)
                    break outer
                }
            }
        }
        return Result(point: u, cost: cost, iterations: iteration, evaluations: evaluations, lastStep: lastStep, stopReason: stopReason)
    }

    static func cost(_ r: [Double]) -> Double {
        var s = 0.0
        for x in r { s += x * x }
        return s.isFinite ? s : .infinity
    }

    /// x with A·x = b for a symmetric positive definite A (Cholesky); the pseudo-inverse if
    /// the factorisation fails.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double] {
        let n = b.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var ok = true
        factor: for i in 0..<n {
            for j in 0...i {
                var s = a[i][j]
                for k in 0..<j { s -= l[i][k] * l[j][k] }
                if i == j {
                    guard s > 0 else { ok = false; break factor }
                    l[i][i] = s.squareRoot()
                } else {
                    l[i][j] = s / l[j][j]
                }
            }
        }
        if ok {
            var y = [Double](repeating: 0, count: n)
            for i in 0..<n {
                var s = b[i]
                for k in 0..<i { s -= l[i][k] * y[k] }
                y[i] = s / l[i][i]
            }
            var x = [Double](repeating: 0, count: n)
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = y[i]
                for k in (i + 1)..<n { s -= l[k][i] * x[k] }
                x[i] = s / l[i][i]
            }
            return x
        }
        let inverse = SymmetricEigen.pseudoInverse(a)
        return (0..<n).map { i in (0..<n).reduce(0.0) { $0 + (inverse[i][$1].isFinite ? inverse[i][$1] * b[$1] : 0) } }
    }
}
