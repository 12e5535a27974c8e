import PolicyFormat
@testable import PolicyInterop
import XCTest

/// Every refusal names what is unsupported or wrong.
final class UnsupportedCheckpointTests: XCTestCase {
    private func sb3(_ name: String, target: ImportTarget = ImportFixtures.target()) throws -> PolicyFile {
        try StableBaselines3Import.policy(archive: try TestSupport.fixture(name), label: name, vecNormalize: nil, target: target)
    }

    private func assertMessage(_ body: @autoclosure () throws -> PolicyFile, contains parts: [String],
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let text = "\(error)"
            for part in parts { XCTAssertTrue(text.contains(part), "'\(part)' missing from: \(text)", file: file, line: line) }
        }
    }

    func test_unknown_activation_is_named() {
        assertMessage(try sb3("sb3_ppo_silu.zip"), contains: ["unsupported", "activation 'SiLU'", "tanh, relu, elu"])
    }

    func test_cnn_policy_is_refused() {
        assertMessage(try sb3("sb3_ppo_cnn.zip"), contains: ["CNN feature extractor", "CnnPolicy"])
    }

    func test_recurrent_actor_is_refused() {
        assertMessage(try RslRlImport.policy(checkpoint: try TestSupport.fixture("rsl_rl_lstm.pt"), label: "rsl_rl_lstm.pt",
                                             activation: "elu", target: ImportFixtures.target()),
                      contains: ["recurrent actor", "rnn."])
    }

    func test_declared_layout_of_the_wrong_size_is_refused_with_both_sizes() {
        assertMessage(try sb3("sb3_ppo.zip", target: ImportFixtures.target(history: 1)),
                      contains: ["takes 5 observations", "has 11", "--observation, --history"])
        assertMessage(try RslRlImport.policy(checkpoint: try TestSupport.fixture("rsl_rl_mlp.pt"), label: "rsl_rl_mlp.pt",
                                             activation: "elu", target: ImportFixtures.target(features: [.armAngle, .pendulumSin])),
                      contains: ["takes 5 observations", "has 2"])
    }

    func test_unknown_declared_activation_is_named() {
        assertMessage(try RslRlImport.policy(checkpoint: try TestSupport.fixture("rsl_rl_mlp.pt"), label: "rsl_rl_mlp.pt",
                                             activation: "gelu", target: ImportFixtures.target()),
                      contains: ["activation 'gelu'"])
    }

    func test_truncated_archives_are_reported_as_truncated() throws {
        for name in ["sb3_ppo.zip", "rsl_rl_mlp.pt"] {
            let bytes = try TestSupport.fixture(name)
            for cut in [bytes.count / 2, bytes.count - 10, 100] {
                let head = Array(bytes.prefix(cut))
                XCTAssertThrowsError(try StableBaselines3Import.policy(archive: head, label: name, vecNormalize: nil, target: ImportFixtures.target())) { error in
                    XCTAssertTrue("\(error)".contains("truncated"), "cut at \(cut): \(error)")
                }
                XCTAssertThrowsError(try RslRlImport.policy(checkpoint: head, label: name, activation: "elu", target: ImportFixtures.target())) { error in
                    XCTAssertTrue("\(error)".contains("truncated"), "cut at \(cut): \(error)")
                }
            }
        }
    }

    func test_an_sb3_archive_is_not_taken_for_rsl_rl_and_vice_versa() {
        assertMessage(try RslRlImport.policy(checkpoint: try TestSupport.fixture("sb3_ppo.zip"), label: "sb3_ppo.zip",
                                             activation: "elu", target: ImportFixtures.target()),
                      contains: ["not a PyTorch checkpoint"])
        assertMessage(try sb3("rsl_rl_mlp.pt"), contains: ["not a Stable-Baselines3 model"])
    }

    func test_a_file_that_is_not_a_zip_is_named_so() {
        assertMessage(try StableBaselines3Import.policy(archive: Array("just some text, long enough to look for a directory".utf8),
                                                        label: "notes.txt", vecNormalize: nil, target: ImportFixtures.target()),
                      contains: ["not a zip archive"])
    }
}
