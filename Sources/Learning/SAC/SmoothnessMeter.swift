/// How much the exploring actions jump from one control step to the next: mean |a_t − a_{t−1}|
/// over every env, component and step within an episode, for the executed actions and, at the
/// same states with the same σ, for i.i.d. Gaussian noise (the same entropy: each ε is N(0, 1)
/// either way). Their ratio is what coloured noise buys the gearbox.
public struct SmoothnessMeter: Sendable, Codable, Equatable {
    public struct Figures: Sendable, Codable, Equatable {
        /// Mean |Δa| per step of the executed exploration.
        public var executedMeanAbsDelta: Double
        /// Mean |Δa| per step of i.i.d. Gaussian noise of the same σ at the same states.
        public var independentMeanAbsDelta: Double
        public var steps: Int
    }

    private var previousExecuted: [Float]
    private var previousIndependent: [Float]
    private var hasPrevious: [Bool]
    private var executedSum = 0.0, independentSum = 0.0
    private var count = 0
    private let actionSize: Int

    init(environments: Int, actionSize: Int) {
        self.actionSize = actionSize
        previousExecuted = Array(repeating: 0, count: environments * actionSize)
        previousIndependent = Array(repeating: 0, count: environments * actionSize)
        hasPrevious = Array(repeating: false, count: environments)
    }

    mutating func record(environment e: Int, component j: Int, executed: Float, independent: Float) {
        let k = e * actionSize + j
        if hasPrevious[e] {
            executedSum += Double(abs(executed - previousExecuted[k]))
            independentSum += Double(abs(independent - previousIndependent[k]))
            count += 1
        }
        previousExecuted[k] = executed
        previousIndependent[k] = independent
        if j == actionSize - 1 { hasPrevious[e] = true }
    }

    mutating func episodeEnded(environment e: Int) { hasPrevious[e] = false }

    public var figures: Figures {
        Figures(executedMeanAbsDelta: count > 0 ? executedSum / Double(count) : .nan,
                independentMeanAbsDelta: count > 0 ? independentSum / Double(count) : .nan, steps: count)
    }
}
