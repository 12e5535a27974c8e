import PolicyFormat
import Learning

/// A test double for `BatchedEnvironment`: N point masses on a line, pushed by the action.
///
///     v ← v + (a − 0.1 v)·dt,  x ← x + v·dt,   dt = 0.05, a ∈ [−1, 1]
///     reward = 1 − 0.5·min(x², 2) − 0.05·a²   (staying near 0 pays; leaving ends the fun)
///     terminated when |x| > 3; truncated after `episodeLength` steps.
/// Observation (x, v); starts uniform in x ∈ [−2, 2], v ∈ [−1, 1].
final class PointMassEnvironment: BatchedEnvironment {
    let count: Int
    let observationSize = 2
    let actionSize = 1
    let episodeLength: Int
    let observationLayout = ObservationLayout(features: [.armAngle, .armVelocity], historyLength: 0, actionCount: 1,
                                              armCountsPerRevolution: 4096, pendulumCountsPerRevolution: 4096)
    private var x: [Double], v: [Double], steps: [Int]
    private var rng = SplitMix64(seed: 0)
    private let obs, finals, rew: UnsafeMutableBufferPointer<Float>
    private let term, trunc: UnsafeMutableBufferPointer<UInt8>

    init(count: Int, episodeLength: Int = 100) {
        self.count = count
        self.episodeLength = episodeLength
        x = Array(repeating: 0, count: count)
        v = Array(repeating: 0, count: count)
        steps = Array(repeating: 0, count: count)
        obs = .allocate(capacity: count * 2); obs.initialize(repeating: 0)
        finals = .allocate(capacity: count * 2); finals.initialize(repeating: 0)
        rew = .allocate(capacity: count); rew.initialize(repeating: 0)
        term = .allocate(capacity: count); term.initialize(repeating: 0)
        trunc = .allocate(capacity: count); trunc.initialize(repeating: 0)
    }

    deinit { obs.deallocate(); finals.deallocate(); rew.deallocate(); term.deallocate(); trunc.deallocate() }

    var observations: UnsafeBufferPointer<Float> { UnsafeBufferPointer(obs) }
    var finalObservations: UnsafeBufferPointer<Float> { UnsafeBufferPointer(finals) }
    var rewards: UnsafeBufferPointer<Float> { UnsafeBufferPointer(rew) }
    var terminated: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(term) }
    var truncated: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(trunc) }

    private func uniform() -> Double { Double(rng.next() >> 11) * 0x1p-53 }

    private func start(_ e: Int) {
        x[e] = uniform() * 4 - 2
        v[e] = uniform() * 2 - 1
        steps[e] = 0
        write(e)
    }

    private func write(_ e: Int) {
        obs[2 * e] = Float(x[e])
        obs[2 * e + 1] = Float(v[e])
    }

    func reset(seed: UInt64) {
        rng = SplitMix64(seed: seed)
        for e in 0..<count { start(e) }
    }

    func step(actions: UnsafeBufferPointer<Float>) {
        let dt = 0.05
        for e in 0..<count {
            let a = Double(min(max(actions[e], -1), 1))
            v[e] += (a - 0.1 * v[e]) * dt
            x[e] += v[e] * dt
            steps[e] += 1
            rew[e] = Float(1 - 0.5 * min(x[e] * x[e], 2) - 0.05 * a * a)
            term[e] = abs(x[e]) > 3 ? 1 : 0
            trunc[e] = term[e] == 0 && steps[e] >= episodeLength ? 1 : 0
            write(e)
            if term[e] != 0 || trunc[e] != 0 {
                finals[2 * e] = obs[2 * e]
                finals[2 * e + 1] = obs[2 * e + 1]
                start(e)
            }
        }
    }
}
