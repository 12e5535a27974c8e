import Foundation
import Testing
import PolicyFormat
import RobotDescription
import Simulation
@testable import Trainer

/// PPO trains and screens its policies on the closed-form physics; `furuta bench train` scores
/// them on MuJoCo. The two must give a policy the same score, on the episodes training draws
/// (randomised robots and delays, encoder noise, the stopping envelope on), not only the same
/// trajectories under scripted duty (`AnalyticPhysicsAgreementTests`).
@Suite struct PolicyEvaluationOnBothPhysicsTests {
    static let description = try! RobotDescription.load(from: RobotDescription.defaultPath)

    /// `final.policy` of `furuta bench train --seeds 4` under the old stopping rule (two passes in
    /// a row at 95 % on 64 episodes): 88.8 % on 1000 randomised analytic episodes, 88.9 % on the
    /// same 1000 of MuJoCo. A marginal policy, so its failures show where the backends could
    /// part (a policy that always succeeds would agree whatever the physics did).
    static var marginalPolicyPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/marginal.policy").path
    }

    func score(_ policy: FrozenPolicy, on physics: PhysicsBackendName, episodes: Int) throws -> PolicyEvaluation.Result {
        var training = TrainingConfig().environment
        training.physics = physics
        var settings = PolicyEvaluation.Settings()
        settings.episodes = episodes
        settings.seed = 31
        let template = try MuJoCoModel.load(mjcfPath: Self.description.mjcfPath)
        return try PolicyEvaluation(robot: Self.description.parameters, template: template,
                                    training: training, settings: settings).run(policy)
    }

    @Test func aMarginalPolicyScoresTheSameOnTheAnalyticPhysicsAsOnMuJoCo() throws {
        let policy = try FrozenPolicy(PolicyFile(contentsOfFile: Self.marginalPolicyPath))
        let episodes = 64
        let mujoco = try score(policy, on: .mujoco, episodes: episodes)
        let analytic = try score(policy, on: .analytic, episodes: episodes)
        print("marginal policy on \(episodes) randomised episodes: MuJoCo \(mujoco.successes) successes, "
              + "\(mujoco.meanUprightS) s upright; analytic \(analytic.successes), \(analytic.meanUprightS) s")
        // The fixture fails some episodes on both, so the comparison can tell them apart.
        #expect(mujoco.successes < episodes && analytic.successes < episodes)
        // Outcomes part only where one encoder count flips a decision (then chaotically, either
        // way): the scores differ by a few episodes at most, the mean upright time by little.
        #expect(abs(mujoco.successes - analytic.successes) <= 3, "MuJoCo \(mujoco), analytic \(analytic)")
        #expect(abs(mujoco.meanUprightS - analytic.meanUprightS) < 0.15, "MuJoCo \(mujoco), analytic \(analytic)")
        #expect(mujoco.armLimitExits <= analytic.armLimitExits + 2 && analytic.armLimitExits <= mujoco.armLimitExits + 2)
    }
}
