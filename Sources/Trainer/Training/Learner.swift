import Learning
import Simulation

/// The algorithm a run trains with, built from its configuration, and its checkpointed state.
public final class Learner {
    let algorithm: any Algorithm
    let ppo: PPOTrainer?
    let sac: SACLearner?

    /// One field per algorithm; exactly the run's is set.
    public struct State: Sendable, Codable {
        public var ppo: PPOTrainerState?
        public var sac: SACLearnerState?
    }

    init(config: TrainingConfig, environment: FurutaEnvironment) {
        switch config.algorithm {
        case .ppo:
            let ppo = PPOTrainer(config: config.ppo, environment: environment)
            self.ppo = ppo
            sac = nil
            algorithm = ppo
        case .sac:
            let sac = SACLearner(config: config.sac, environment: environment)
            self.sac = sac
            ppo = nil
            algorithm = sac
        }
    }

    var state: State { State(ppo: ppo?.state, sac: sac?.state) }

    func restore(_ saved: State) throws(TrainerStateMismatch) {
        if let ppo {
            guard let state = saved.ppo else { throw TrainerStateMismatch(description: "the checkpoint is not a PPO run's") }
            try ppo.restore(state)
        }
        if let sac {
            guard let state = saved.sac else { throw TrainerStateMismatch(description: "the checkpoint is not a SAC run's") }
            try sac.restore(state)
        }
    }

    /// Mean |Δa| per step of the exploration and of i.i.d. noise of the same σ (SAC only).
    var smoothness: SmoothnessMeter.Figures? { sac?.explorationSmoothness }
}
