import Foundation
import Learning
import PolicyFormat
import Trainer

/// `furuta learn --from POLICY` (and `furuta bench session --from`): the offline-to-online
/// recipe that starts SAC from a sim-trained policy without the collapse fresh critics cause
/// (docs/sessions.md "Fine-tuning" has the measurements behind each default).
enum LearnFineTuning {
    /// With `wanted` (`--critics-from-run`), the sim run's newest checkpoint beside the policy
    /// (`DIR/final.policy` → `DIR/checkpoints/`); it must exist and hold a SAC learner.
    static func checkpoint(besides policyPath: String?, wanted: Bool) throws -> (path: String, learner: SACLearnerState)? {
        guard wanted else { return nil }
        guard let policyPath else { throw CommandFailure("--critics-from-run needs --from POLICY") }
        let run = URL(fileURLWithPath: policyPath).deletingLastPathComponent()
        let folder = run.appendingPathComponent("checkpoints").path
        let checkpoint: TrainingCheckpoint
        do { checkpoint = try TrainingCheckpoint.latest(in: run) } catch {
            throw CommandFailure("--critics-from-run: no readable checkpoint in \(folder) (\(error)); leave the option out for fresh critics")
        }
        guard let sac = checkpoint.learner.sac else {
            throw CommandFailure("--critics-from-run: the checkpoint in \(folder) is not a SAC run's (`furuta train --algorithm sac`)")
        }
        return (folder, sac)
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
    /// checkpoint; its candidates record the policy's trained latency range. Returns the line to log.
    static func start(_ learner: SessionLearner, policy: PolicyFile, path: String,
                      checkpoint: (path: String, learner: SACLearnerState)?) throws -> String {
        do { try learner.learner.startActor(from: policy) } catch { throw CommandFailure("--from \(path): \(error)") }
        learner.trainedLatency = policy.trainedLatency
        let config = learner.learner.config
        var line = "actor started from \(path)"
        if let checkpoint {
            do { try learner.learner.startCritics(from: checkpoint.learner) } catch { throw CommandFailure("--from \(path): critics from \(checkpoint.path): \(error) (or leave out --critics-from-run)") }
            line += ", critics and temperature from \(checkpoint.path)"
        } else {
            line += ", fresh critics"
        }
        if let range = policy.trainedLatency {
            line += String(format: "; candidates record its trained latency %.1f–%.1f ms", range.minimumSeconds * 1000, range.maximumSeconds * 1000)
        }
        line += String(format: " (actor steps after %d critic steps, actor learning rate %g, behaviour cloning %g)",
                       config.actorWarmupSteps, config.actorLearningRate, config.behaviorCloningWeight)
        return line
    }
}
