import Foundation
import MotorModel

/// CMA-ES, then Levenberg–Marquardt, over a `ParameterSpace`, every batch of candidates
/// replayed in parallel (`ReplayPool`). CMA-ES (global, derivative-free) starts at the nominal
/// values with σ₀ = `initialStepSize` in the unit cube and runs for at most `maxGenerations`
/// or `globalBudgetFraction` of the time budget; Levenberg–Marquardt (`LevenbergMarquardt`,
/// forward-difference Jacobians of the replay residuals) then refines the best point with the
/// rest of the budget — CMA-ES alone needs hundreds of generations to settle 10+ coordinates,
/// while near the optimum the loss is a sum of squares and Gauss–Newton steps converge in a
/// few iterations of n + 2 replays each. `maxGenerations` 0 skips CMA-ES,
/// `refinementIterations` 0 skips the refinement. A candidate outside the cube is evaluated at its projection onto the cube plus
/// a quadratic penalty, f(clamp(u)) + f(nominal)·‖u − clamp(u)‖², which keeps the search
/// inside the schema's bounds without distorting the loss there.
///
/// CMA-ES stops at `maxGenerations`, at its share of `timeBudgetSeconds`, or when the search
/// has settled: every coordinate's spread σ·√C_ii below `tolerance` (in the unit cube).
public struct ParameterFit {
    public struct Options: Sendable {
        public var maxGenerations = 200
        public var timeBudgetSeconds = 50.0
        /// Share of the time budget CMA-ES may use before the refinement starts.
        public var globalBudgetFraction = 0.15
        public var refinementIterations = 40
        public var tolerance = 2e-4
        public var initialStepSize = 0.2
        public var populationSize: Int?
        public var seed: UInt64 = 0x5151_D000
        /// Replays the uncertainty analysis after the search will need (`Identifiability`:
        /// 2n + 1); the search leaves time for them inside `timeBudgetSeconds`, estimated as
        /// ⌈replays / threads⌉ × 1.25 × the time of the first (single) replay.
        public var analysisReplays = 0
        public init() {}
    }

    public struct Progress: Sendable {
        /// "CMA-ES" or "Levenberg–Marquardt".
        public var stage: String
        /// CMA-ES generation or refinement iteration.
        public var generation: Int
        public var maxGenerations: Int
        public var bestLoss: Double
        public var elapsedSeconds: Double
        /// Expected seconds left: min(time budget left, generations left × mean time per generation).
        public var etaSeconds: Double
    }

    public struct Result: Sendable {
        public var coordinates: [Double]
        public var robot: RobotParameters
        public var loss: Double
        public var nominalLoss: Double
        public var generations: Int
        public var refinementIterations: Int
        public var evaluations: Int
        public var seconds: Double
        /// How far the search was still moving per coordinate at the end (unit cube): the last
        /// refinement step, or CMA-ES's spread without a refinement.
        public var spread: [Double]
        public var stopReason: String
    }

    public let space: ParameterSpace
    public let pool: ReplayPool
    public var options: Options

    public init(space: ParameterSpace, pool: ReplayPool, options: Options) {
        self.space = space
        self.pool = pool
        self.options = options
    }

    public func run(progress: (Progress) -> Void = { _ in }) -> Result {
        let start = Date()
        let nominalU = space.nominalCoordinates
        let nominalLoss = pool.losses([space.robot(at: nominalU)])[0]
        let oneReplaySeconds = Date().timeIntervalSince(start)
        let reserve = Double((options.analysisReplays + pool.threads - 1) / pool.threads) * 1.25 * oneReplaySeconds
        let searchBudget = max(options.timeBudgetSeconds - reserve, 0.5 * options.timeBudgetSeconds)
        var es = CMAES(start: nominalU, stepSize: options.initialStepSize, populationSize: options.populationSize, seed: options.seed)
        var bestU = nominalU, bestLoss = nominalLoss
        var evaluations = 1
        var stopReason = "CMA-ES: generation limit (\(options.maxGenerations))"
        let globalBudget = options.refinementIterations > 0 ? options.globalBudgetFraction * searchBudget : searchBudget
        while es.generation < options.maxGenerations {
            let candidates = es.ask()
            let clamped = candidates.map { $0.map { min(max($0, 0), 1) } }
            let raw = pool.losses(clamped.map(space.robot(at:)))
            evaluations += candidates.count
            var values: [Double] = []
            for (k, u) in candidates.enumerated() {
                var outside = 0.0
                for (x, c) in zip(u, clamped[k]) { outside += (x - c) * (x - c) }
                let f = raw[k].isFinite ? raw[k] : 1e6
                values.append(f + nominalLoss * outside)
                if outside == 0, f < bestLoss { bestLoss = f; bestU = clamped[k] }
            }
            es.tell(values)
            let elapsed = Date().timeIntervalSince(start)
            let perGeneration = elapsed / Double(es.generation)
            let eta = min(globalBudget - elapsed, Double(options.maxGenerations - es.generation) * perGeneration)
            progress(Progress(stage: "CMA-ES", generation: es.generation, maxGenerations: options.maxGenerations, bestLoss: bestLoss,
                              elapsedSeconds: elapsed, etaSeconds: max(0, eta)))
            if (0..<space.entries.count).allSatisfy({ es.coordinateDeviation($0) < options.tolerance }) {
                stopReason = "CMA-ES: converged (every spread below \(options.tolerance))"
                break
            }
            if elapsed + perGeneration > globalBudget {
                stopReason = "CMA-ES: its time share (\(String(format: "%.0f", globalBudget)) s)"
                break
            }
        }
        var spread = (0..<space.entries.count).map { es.generation > 0 ? es.coordinateDeviation($0) : 1 }
        if es.generation > 0 {
            // The final mean is often better than any single sample.
            let meanU = es.mean.map { min(max($0, 0), 1) }
            let meanLoss = pool.losses([space.robot(at: meanU)])[0]
            evaluations += 1
            if meanLoss < bestLoss { bestLoss = meanLoss; bestU = meanU }
        }
        var iterations = 0
        if options.refinementIterations > 0 {
            let total = Double(max(pool.totalSamples, 1))
            var lm = LevenbergMarquardt()
            lm.options.maxIterations = options.refinementIterations
            let deadline = start.addingTimeInterval(searchBudget)
            let refinement = lm.minimise(start: bestU, deadline: deadline,
                                         residuals: { points in pool.residuals(points.map(space.robot(at:))) }) { iteration, cost in
                let elapsed = Date().timeIntervalSince(start)
                progress(Progress(stage: "Levenberg–Marquardt", generation: iteration, maxGenerations: options.refinementIterations,
                                  bestLoss: cost / total, elapsedSeconds: elapsed,
                                  etaSeconds: max(0, searchBudget - elapsed)))
            }
            evaluations += refinement.evaluations
            iterations = refinement.iterations
            if refinement.cost / total <= bestLoss {
                bestLoss = refinement.cost / total
                bestU = refinement.point
                spread = refinement.lastStep
            }
            stopReason += "; Levenberg–Marquardt: \(refinement.stopReason) after \(refinement.iterations) iterations"
        }
        return Result(coordinates: bestU, robot: space.robot(at: bestU), loss: bestLoss, nominalLoss: nominalLoss,
                      generations: es.generation, refinementIterations: iterations, evaluations: evaluations,
                      seconds: Date().timeIntervalSince(start), spread: spread, stopReason: stopReason)
    }
}
