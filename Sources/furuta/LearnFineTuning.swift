import Foundation
import Learning
import PolicyFormat
import Trainer

/// `furuta learn --from POLICY` (and `furuta bench session --from`): the offline-to-online
/// recipe that starts SAC from a sim-trained policy without the collapse fresh critics cause
/// (docs/sessions.md "Fine-tuning" has the measurements behind each default).
enum LearnFineTuning {
    /// The sim run's newest checkpoint beside the policy (`DIR/final.policy` → `DIR/checkpoints/`),
    /// when there is one with a SAC learner in it.
    static func checkpoint(besides policyPath: String) -> (path: String, learner: SACLearnerState)? {
        let run = URL(fileURLWithPath: policyPath).deletingLastPathComponent()
        guard let checkpoint = try? TrainingCheckpoint.latest(in: run), let sac = checkpoint.learner.sac else { return nil }
        return (run.appendingPathComponent("checkpoints").path, sac)
    }

    /// The fine-tuning defaults under the command line's `--set`: the actor's shape from the
    /// policy, and the recipe's warm-up, actor learning rate and behaviour-cloning weight.
    static func apply(to settings: inout LearnCommand.Settings, start: PolicyFile, criticsFromCheckpoint: Bool) {
        (settings.sac.actorHiddenWidths, settings.sac.hiddenActivation) = SACLearner.actorShape(of: start)
        settings.sac.actorWarmupSteps = criticsFromCheckpoint ? 2_000 : 20_000
        settings.sac.actorLearningRate = 1e-4
        settings.sac.behaviorCloningWeight = 10
    }

    /// Starts `learner`'s actor from the policy and, when given, its critics from the sim run's
    /// checkpoint. Returns the line to log.
    static func start(_ learner: SessionLearner, policy: PolicyFile, path: String,
                      checkpoint: (path: String, learner: SACLearnerState)?) throws -> String {
        do { try learner.learner.startActor(from: policy) } catch { throw CommandFailure("--from \(path): \(error)") }
        let config = learner.learner.config
        var line = "actor started from \(path)"
        if let checkpoint {
            do { try learner.learner.startCritics(from: checkpoint.learner) } catch { throw CommandFailure("--from \(path): critics from \(checkpoint.path): \(error) (or leave out --critics-from-run)") }
            line += ", critics and temperature from \(checkpoint.path)"
        } else {
            line += ", fresh critics"
        }
        line += String(format: " (actor steps after %d critic steps, actor learning rate %g, behaviour cloning %g)",
                       config.actorWarmupSteps, config.actorLearningRate, config.behaviorCloningWeight)
        return line
    }
}
