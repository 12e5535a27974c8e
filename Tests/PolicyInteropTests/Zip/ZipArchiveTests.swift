@testable import PolicyInterop
import XCTest

final class ZipArchiveTests: XCTestCase {
    func test_stored_and_deflated_archives_give_the_same_entries() throws {
        let stored = try ZipArchive(bytes: try TestSupport.fixture("sb3_ppo.zip"), label: "stored")
        let deflated = try ZipArchive(bytes: try TestSupport.fixture("sb3_ppo_deflated.zip"), label: "deflated")
        XCTAssertEqual(stored.names, deflated.names)
        XCTAssertTrue(stored.names.contains("policy.pth"))
        for name in stored.names { XCTAssertEqual(try stored.contents(of: name), try deflated.contents(of: name), name) }
        XCTAssertEqual(String(decoding: try stored.contents(of: "_stable_baselines3_version"), as: UTF8.self), "2.9.2")
    }

    func test_damaged_entry_fails_its_crc() throws {
        var bytes = try TestSupport.fixture("sb3_ppo.zip")
        let archive = try ZipArchive(bytes: bytes, label: "ok")
        let entry = archive.entry(named: "data")!
        // Flip one byte inside the stored 'data' entry (after its 30-byte local header and name).
        bytes[entry.localHeaderOffset + 30 + 4 + 10] ^= 0xFF
        let damaged = try ZipArchive(bytes: bytes, label: "damaged")
        XCTAssertThrowsError(try damaged.contents(of: "data")) { error in
            XCTAssertTrue("\(error)".contains("CRC-32"), "\(error)")
        }
    }

    func test_torch_checkpoint_tensors_have_the_saved_shapes() throws {
        let outer = try ZipArchive(bytes: try TestSupport.fixture("sb3_ppo.zip"), label: "sb3")
        let checkpoint = try TorchCheckpoint(bytes: try outer.contents(of: "policy.pth"), label: "policy.pth")
        let state = try checkpoint.stateDict(checkpoint.root, what: "state dict")
        let shapes = Dictionary(uniqueKeysWithValues: state.map { ($0.key, $0.tensor.shape) })
        XCTAssertEqual(shapes["mlp_extractor.policy_net.0.weight"], [16, 5])
        XCTAssertEqual(shapes["mlp_extractor.policy_net.2.bias"], [16])
        XCTAssertEqual(shapes["action_net.weight"], [1, 16])
        XCTAssertEqual(shapes["log_std"], [1])
        XCTAssertEqual(state.first { $0.key == "log_std" }?.tensor.dtype, "float32")
    }
}
