import MonotonicTime

/// `furuta bench learner`: gradient steps per second of the off-policy learner at a
/// configuration's sizes on one BLAS thread, allocations per step after warm-up, where the
/// time goes, and — as the in-run baseline — the sgemm throughput of the critic's largest
/// product and the share of it the learner reaches.
public enum LearnerBenchmark {
    public struct Result: Sendable, Codable {
        /// Gradient steps per second of wall time (the figure), and per second of this thread's
        /// CPU time with the share of the wall time it got (on a shared machine).
        public var updatesPerS: Double
        public var updatesPerCpuS: Double
        public var cpuShare: Double
        public var allocationsPerUpdate: Double
        public var updates: Int
        public var batchSize: Int
        public var observationSize: Int
        public var actorHiddenWidths: [Int]
        public var criticHiddenWidths: [Int]
        public var criticCount: Int
        public var policyDelay: Int
        /// Mean µs per gradient step spent in each part (actor and temperature per actor step).
        public var criticUs: Double
        public var targetUs: Double
        public var actorUs: Double
        public var temperatureUs: Double
        /// Matrix-product work per gradient step, and the rate it ran at.
        public var gflopPerUpdate: Double
        public var learnerGflops: Double
        /// Baseline: plain sgemm on the critic's hidden shape (B × w × w), same thread count.
        public var sgemmGflops: Double
        /// Coloured vs i.i.d. noise through tanh at σ = 0.5, mean |Δa| per step.
        public var coloredNoiseMeanAbsDelta: Double
        public var whiteNoiseMeanAbsDelta: Double
    }

    public static func run(config: SACConfig, observationSize: Int, actionSize: Int = 1, seconds: Double = 3,
                           countAllocations: (() -> Void) -> Int) -> Result {
        var config = config
        config.blasThreads = 1
        let learner = SACLearner(config: config, environmentCount: 1, observationSize: observationSize, actionSize: actionSize)
        // A replay buffer of random transitions (the numbers do not matter for the speed).
        var rng = Xoshiro256StarStar(seed: 99)
        var transitions: [Transition] = []
        for _ in 0..<(4 * config.batchSize) {
            let o = (0..<observationSize).map { _ in Float(rng.nextGaussian()) }
            let next = (0..<observationSize).map { _ in Float(rng.nextGaussian()) }
            let a = (0..<actionSize).map { _ in Float(rng.uniform(-1...1)) }
            transitions.append(Transition(observation: o, action: a, reward: Float(rng.nextUniform()), nextObservation: next,
                                          terminated: rng.nextUniform() < 0.01, truncated: false))
        }
        learner.ingest(transitions)
        for _ in 0..<100 { learner.gradientStep() }
        let probe = 200
        let allocations = countAllocations { for _ in 0..<probe { learner.gradientStep() } }
        let before = learner.timing
        let start = MonotonicClock.seconds(), cpuStart = MonotonicClock.threadCPUSeconds()
        var updates = 0
        while MonotonicClock.seconds() - start < seconds {
            for _ in 0..<50 { learner.gradientStep() }
            updates += 50
        }
        let elapsed = MonotonicClock.seconds() - start
        let cpu = MonotonicClock.threadCPUSeconds() - cpuStart
        let after = learner.timing
        let steps = Double(after.steps - before.steps), actorSteps = Double(max(after.actorSteps - before.actorSteps, 1))
        let flops = flopsPerUpdate(learner)
        let width = config.criticHiddenWidths.max() ?? 64
        let sgemm = BLASBenchmark.sgemmGFLOPS(m: config.batchSize, n: width, k: width, threads: 1, repeats: 2000, rounds: 3)
        let smoothness = noiseSmoothness(config: config)
        return Result(updatesPerS: Double(updates) / elapsed, updatesPerCpuS: Double(updates) / cpu,
                      cpuShare: cpu / elapsed, allocationsPerUpdate: Double(allocations) / Double(probe),
                      updates: updates, batchSize: config.batchSize, observationSize: observationSize,
                      actorHiddenWidths: config.actorHiddenWidths, criticHiddenWidths: config.criticHiddenWidths,
                      criticCount: config.criticCount, policyDelay: config.policyDelay,
                      criticUs: Double(after.criticNanoseconds - before.criticNanoseconds) / steps / 1e3,
                      targetUs: Double(after.targetNanoseconds - before.targetNanoseconds) / steps / 1e3,
                      actorUs: Double(after.actorNanoseconds - before.actorNanoseconds) / actorSteps / 1e3,
                      temperatureUs: Double(after.temperatureNanoseconds - before.temperatureNanoseconds) / actorSteps / 1e3,
                      gflopPerUpdate: flops / 1e9, learnerGflops: flops * Double(updates) / elapsed / 1e9,
                      sgemmGflops: sgemm, coloredNoiseMeanAbsDelta: smoothness.colored,
                      whiteNoiseMeanAbsDelta: smoothness.white)
    }

    /// 2·B·Σ in·out per forward; a backward with parameter gradients costs two of those (∂W and
    /// ∂X), one without. Per step: actor on s′, target critics, critics forward and backward;
    /// per actor step: actor forward, critics forward and input-backward, actor backward.
    static func flopsPerUpdate(_ learner: SACLearner) -> Double {
        let b = Double(learner.config.batchSize)
        func forward(_ n: DenseNetwork) -> Double { n.layers.reduce(0) { $0 + 2 * b * Double($1.inputCount * $1.outputCount) } }
        let fa = forward(learner.actor), fq = forward(learner.critics[0]), c = Double(learner.critics.count)
        let critic = fa + c * fq + c * 3 * fq
        let actor = fa + c * fq + c * fq + 2 * fa
        return critic + actor / Double(learner.config.policyDelay)
    }

    /// Mean |Δ tanh(σε)| per step for the configured coloured noise and for white noise, σ = 0.5.
    static func noiseSmoothness(config: SACConfig) -> (colored: Double, white: Double) {
        var rng = Xoshiro256StarStar(seed: 5)
        let n = config.noiseSequenceLength
        var noise = ColoredNoise(length: n, exponent: config.noiseExponent)
        var sequence = [Float](repeating: 0, count: n)
        var colored = 0.0, white = 0.0, count = 0
        for _ in 0..<20 {
            sequence.withUnsafeMutableBufferPointer { noise.draw(into: $0.baseAddress!, rng: &rng) }
            var previousWhite = SquashedGaussian.squash(0.5 * Float(rng.nextGaussian()))
            for t in 1..<n {
                colored += Double(abs(SquashedGaussian.squash(0.5 * sequence[t]) - SquashedGaussian.squash(0.5 * sequence[t - 1])))
                let w = SquashedGaussian.squash(0.5 * Float(rng.nextGaussian()))
                white += Double(abs(w - previousWhite))
                previousWhite = w
                count += 1
            }
        }
        return (colored / Double(count), white / Double(count))
    }
}
