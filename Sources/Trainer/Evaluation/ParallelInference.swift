import Foundation
import PolicyFormat

/// One FrozenPolicy run over a batch of envs on several threads: the envs are split into
/// `lanes` contiguous ranges, each with its own copy of the policy (a FrozenPolicy has one
/// scratch buffer). Each env's action depends on its own observation only, so the actions do not
/// depend on the lane count.
final class ParallelInference: @unchecked Sendable {
    private let policies: [FrozenPolicy]
    private let count: Int
    private let observationSize: Int
    /// One action per env, written by `act`.
    let actions: UnsafeMutableBufferPointer<Float>
    /// Envs that still run (the others keep their last action); cleared by the caller.
    let active: UnsafeMutableBufferPointer<Bool>
    private let laneOutput: UnsafeMutableBufferPointer<Float>
    /// The batch's observations during `act` (read by every lane, written by none).
    private var observations = UnsafeBufferPointer<Float>(start: nil, count: 0)

    init(policy: FrozenPolicy, envs count: Int, lanes: Int) {
        precondition(policy.actionCount == 1, "ParallelInference: one action per env")
        let lanes = max(1, min(lanes, count))
        policies = [policy] + (1..<lanes).map { _ in policy.copy() }
        self.count = count
        observationSize = policy.observationSize
        actions = .allocate(capacity: count)
        actions.initialize(repeating: 0)
        active = .allocate(capacity: count)
        active.initialize(repeating: true)
        laneOutput = .allocate(capacity: lanes)
        laneOutput.initialize(repeating: 0)
    }

    deinit {
        actions.deallocate()
        active.deallocate()
        laneOutput.deallocate()
    }

    /// actions[i] = policy(observation i) for every active env i, the lanes in parallel.
    func act(observations: UnsafeBufferPointer<Float>) {
        precondition(observations.count >= count * observationSize)
        self.observations = observations
        let lanes = policies.count
        DispatchQueue.concurrentPerform(iterations: lanes) { lane in self.run(lane: lane, of: lanes) }
    }

    private func run(lane: Int, of lanes: Int) {
        let out = UnsafeMutableBufferPointer(rebasing: laneOutput[lane..<(lane + 1)])
        let size = observationSize
        for i in (lane * count / lanes)..<((lane + 1) * count / lanes) where active[i] {
            policies[lane].act(observation: UnsafeBufferPointer(rebasing: observations[(i * size)..<((i + 1) * size)]),
                               action: out)
            actions[i] = out[0]
        }
    }
}
