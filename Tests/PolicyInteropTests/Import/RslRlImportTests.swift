import PolicyFormat
@testable import PolicyInterop
import XCTest

/// Real rsl_rl checkpoints (rsl-rl-lib 5.5.1 and 2.3.3), imported without PyTorch, against the
/// library's actor output recorded in the fixture.
final class RslRlImportTests: XCTestCase {
    func test_mlp_actor_with_empirical_normalization_matches_rsl_rl_within_1e5() throws {
        let policy = try RslRlImport.policy(checkpoint: try TestSupport.fixture("rsl_rl_mlp.pt"), label: "rsl_rl_mlp.pt",
                                            activation: "elu", target: ImportFixtures.target())
        XCTAssertEqual(policy.layers.map(\.activation), [.elu, .elu, .identity])
        XCTAssertEqual(policy.normalization.epsilon, 0)
        XCTAssertEqual(policy.normalization.clip, .infinity)
        XCTAssertEqual(policy.provenance.other["iterations"], "7")
        // The library's action is μ; the imported policy clamps to the command range [−1, 1].
        let diff = try ImportFixtures.maxDifference(policy, fixture: "rsl_rl_mlp") { min(max($0, -1), 1) }
        XCTAssertLessThanOrEqual(diff, 1e-5, "max |imported − clamp(rsl_rl)| \(diff)")
    }

    func test_wide_action_limit_reproduces_the_unclamped_actor() throws {
        let policy = try RslRlImport.policy(checkpoint: try TestSupport.fixture("rsl_rl_mlp.pt"), label: "rsl_rl_mlp.pt",
                                            activation: "elu", actionLimit: 10, target: ImportFixtures.target())
        let diff = try ImportFixtures.maxDifference(policy, fixture: "rsl_rl_mlp")
        XCTAssertLessThanOrEqual(diff, 1e-5, "max |imported − rsl_rl| \(diff)")
    }

    func test_rsl_rl_2_checkpoint_with_history_and_tanh_matches_within_1e5() throws {
        // rsl-rl-lib 2.3.3: model_state_dict (actor.N.*) and obs_norm_state_dict; 11 inputs.
        let policy = try RslRlImport.policy(checkpoint: try TestSupport.fixture("rsl_rl2_mlp.pt"), label: "rsl_rl2_mlp.pt",
                                            activation: "tanh", target: ImportFixtures.target(history: 1))
        XCTAssertEqual(policy.observationLayout.size, 11)
        XCTAssertEqual(policy.layers.map(\.activation), [.tanh, .tanh, .identity])
        XCTAssertFalse(policy.normalization.mean.allSatisfy { $0 == 0 }, "obs_norm_state_dict was not read")
        XCTAssertEqual(policy.provenance.other["iterations"], "3")
        let diff = try ImportFixtures.maxDifference(policy, fixture: "rsl_rl2_mlp") { min(max($0, -1), 1) }
        XCTAssertLessThanOrEqual(diff, 1e-5, "max |imported − clamp(rsl_rl 2)| \(diff)")
    }

    func test_wrong_declared_activation_changes_the_actions() throws {
        // The checkpoint does not record it, so the declaration is what decides.
        let policy = try RslRlImport.policy(checkpoint: try TestSupport.fixture("rsl_rl_mlp.pt"), label: "rsl_rl_mlp.pt",
                                            activation: "relu", target: ImportFixtures.target())
        XCTAssertGreaterThan(try ImportFixtures.maxDifference(policy, fixture: "rsl_rl_mlp") { min(max($0, -1), 1) }, 1e-3)
    }
}
