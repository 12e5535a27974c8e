import PolicyFormat
@testable import PolicyInterop
import XCTest

/// Real Stable-Baselines3 archives (Fixtures/make_fixtures.py), imported without PyTorch, against
/// `model.predict(obs, deterministic=True)` recorded by the library.
final class StableBaselines3ImportTests: XCTestCase {
    func test_ppo_with_vecnormalize_matches_sb3_predict_within_1e5() throws {
        let policy = try StableBaselines3Import.policy(
            archive: try TestSupport.fixture("sb3_ppo.zip"), label: "sb3_ppo.zip",
            vecNormalize: try TestSupport.fixture("sb3_ppo.vecnormalize.pkl"), target: ImportFixtures.target())
        XCTAssertEqual(policy.layers.map(\.activation), [.tanh, .tanh, .identity])
        XCTAssertEqual(policy.hiddenWidths, [16, 16])
        XCTAssertEqual(policy.actionScaling.squash, .clip)
        XCTAssertEqual(policy.normalization.clip, 10)
        XCTAssertEqual(policy.normalization.epsilon, 1e-8)
        XCTAssertFalse(policy.normalization.mean.allSatisfy { $0 == 0 }, "VecNormalize statistics were not read")
        XCTAssertEqual(policy.provenance.algorithm, "ppo")
        XCTAssertEqual(policy.provenance.seed, 1)
        XCTAssertEqual(policy.provenance.environmentSteps, 128)
        XCTAssertEqual(policy.provenance.other["library_version"], "2.9.2")
        let diff = try ImportFixtures.maxDifference(policy, fixture: "sb3_ppo")
        XCTAssertLessThanOrEqual(diff, 1e-5, "max |imported − SB3| \(diff)")
    }

    func test_ppo_without_its_vecnormalize_gives_other_actions() throws {
        // The statistics matter: forgetting them (the IsaacLab export bug) is visible.
        let policy = try StableBaselines3Import.policy(archive: try TestSupport.fixture("sb3_ppo.zip"), label: "sb3_ppo.zip",
                                                       vecNormalize: nil, target: ImportFixtures.target())
        XCTAssertGreaterThan(try ImportFixtures.maxDifference(policy, fixture: "sb3_ppo"), 0.05)
    }

    func test_sac_with_an_offset_action_range_matches_sb3_predict_within_1e5() throws {
        let policy = try StableBaselines3Import.policy(archive: try TestSupport.fixture("sb3_sac.zip"), label: "sb3_sac.zip",
                                                       vecNormalize: nil, target: ImportFixtures.target())
        XCTAssertEqual(policy.layers.map(\.activation), [.relu, .relu, .identity])
        XCTAssertEqual(policy.actionScaling.squash, .tanh)
        XCTAssertEqual(policy.actionScaling.scale, [1])      // [-0.5, 1.5]: scale 1, offset 0.5
        XCTAssertEqual(policy.actionScaling.offset, [0.5])
        XCTAssertEqual(policy.provenance.algorithm, "sac")
        let diff = try ImportFixtures.maxDifference(policy, fixture: "sb3_sac")
        XCTAssertLessThanOrEqual(diff, 1e-5, "max |imported − SB3| \(diff)")
    }

    func test_deflated_archive_reads_like_the_stored_one() throws {
        // The same archive re-packed with deflate by Python's zipfile (older SB3 versions deflate).
        let stored = try StableBaselines3Import.policy(archive: try TestSupport.fixture("sb3_ppo.zip"), label: "stored",
                                                       vecNormalize: nil, target: ImportFixtures.target())
        let deflated = try StableBaselines3Import.policy(archive: try TestSupport.fixture("sb3_ppo_deflated.zip"), label: "deflated",
                                                         vecNormalize: nil, target: ImportFixtures.target())
        XCTAssertEqual(stored.layers, deflated.layers)
    }
}
