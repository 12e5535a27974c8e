import Foundation
import MotorModel

/// CMA-ES over a `ParameterSpace`, every generation's candidates replayed in parallel
/// (`ReplayPool`). The search starts at the nominal values with σ₀ = `initialStepSize` in the
/// unit cube. A candidate outside the cube is evaluated at its projection onto the cube plus
/// a quadratic penalty, f(clamp(u)) + f(nominal)·‖u − clamp(u)‖², which keeps the search
/// inside the schema's bounds without distorting the loss there.
///
/// Stops at `maxGenerations`, at `timeBudgetSeconds`, or when the search has settled: every
/// coordinate's spread σ·√C_ii below `tolerance` (in the unit cube).
public struct ParameterFit {
    public struct Options: Sendable {
        public var maxGenerations = 200
        public var timeBudgetSeconds = 55.0
        public var tolerance = 2e-4
        public var initialStepSize = 0.2
        public var populationSize: Int?
        public var seed: UInt64 = 0x5151_D000
        public init() {}
    }

    public struct Progress: Sendable {
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
        public var evaluations: Int
        public var seconds: Double
        /// The search distribution's spread per coordinate at the end (unit cube).
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
        var es = CMAES(start: nominalU, stepSize: options.initialStepSize, populationSize: options.populationSize, seed: options.seed)
        var bestU = nominalU, bestLoss = nominalLoss
        var evaluations = 1
        var stopReason = "generation limit (\(options.maxGenerations))"
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
            let eta = min(options.timeBudgetSeconds - elapsed, Double(options.maxGenerations - es.generation) * perGeneration)
            progress(Progress(generation: es.generation, maxGenerations: options.maxGenerations, bestLoss: bestLoss,
                              elapsedSeconds: elapsed, etaSeconds: max(0, eta)))
            if (0..<space.entries.count).allSatisfy({ es.coordinateDeviation($0) < options.tolerance }) {
                stopReason = "converged (every spread below \(options.tolerance))"
                break
            }
            if elapsed + perGeneration > options.timeBudgetSeconds {
                stopReason = "time budget (\(options.timeBudgetSeconds) s)"
                break
            }
        }
        // The final mean is often better than any single sample.
        let meanU = es.mean.map { min(max($0, 0), 1) }
        let meanLoss = pool.losses([space.robot(at: meanU)])[0]
        evaluations += 1
        if meanLoss < bestLoss { bestLoss = meanLoss; bestU = meanU }
        return Result(coordinates: bestU, robot: space.robot(at: bestU), loss: bestLoss, nominalLoss: nominalLoss,
                      generations: es.generation, evaluations: evaluations, seconds: Date().timeIntervalSince(start),
                      spread: (0..<space.entries.count).map { es.coordinateDeviation($0) }, stopReason: stopReason)
    }
}
