import Learning
import Simulation

/// The algorithm a run trains with, built from its configuration, and its checkpointed state.
public final class Learner {
    let algorithm: any Algorithm
    private let ppo: PPOTrainer?

    /// One field per algorithm; exactly the run's is set.
    public struct State: Sendable, Codable {
        public var ppo: PPOTrainerState?
    }

    init(config: TrainingConfig, environment: FurutaEnvironment) {
        let ppo = PPOTrainer(config: config.ppo, environment: environment)
        self.ppo = ppo
        algorithm = ppo
    }

    var state: State { State(ppo: ppo?.state) }

    func restore(_ saved: State) throws(TrainerStateMismatch) {
        if let ppo {
            guard let state = saved.ppo else { throw TrainerStateMismatch(description: "the checkpoint is not a PPO run's") }
            try ppo.restore(state)
        }
    }
}
