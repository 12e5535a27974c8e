@testable import PolicyInterop
import XCTest

/// Pickles written by CPython's `pickle.dumps` (bytes pasted as hex), decoded as data.
final class PickleReaderTests: XCTestCase {
    private func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = hex.startIndex
        while i < hex.endIndex {
            let j = hex.index(i, offsetBy: 2)
            out.append(UInt8(hex[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    /// {'a': [1, -2, 300, 70000, 2**40, -2**40, 2**100], 'b': 1.5, 'c': (True, None, 'xé'),
    ///  'd': b'\x00\x01', 'e': [[a]]} — the inner list is the memoized 'a' list (shared).
    private let protocol2 = "80027d71002858010000006171015d7102284b014afeffffff4d2c014a701101008a060000000000018a060000000000ff8a0d00000000000000000000000010655801000000627103473ff80000000000005801000000637104884e580300000078c3a971058771065801000000647107635f636f646563730a656e636f64650a710858020000000001710958060000006c6174696e31710a86710b52710c580100000065710d5d710e5d710f68026161752e"
    private let protocol5 = "8005956b000000000000007d94288c0161945d94284b014afeffffff4d2c014a701101008a060000000000018a060000000000ff8a0d00000000000000000000000010658c016294473ff80000000000008c016394884e8c0378c3a99487948c01649443020001948c0165945d945d9468026161752e"

    func test_protocol_2_and_5_pickles_decode_to_the_same_values() throws {
        for hex in [protocol2, protocol5] {
            let v = try PickleReader.read(bytes(hex), label: "test")
            XCTAssertEqual(v["a"]?.tupleItems?.compactMap(\.int), [1, -2, 300, 70000, 1 << 40, -(1 << 40)])
            guard case .bigInteger(let big)? = v["a"]?.tupleItems?.last else { return XCTFail("2**100 should stay a big integer") }
            XCTAssertEqual(big.count, 13)
            XCTAssertEqual(v["b"]?.double, 1.5)
            let c = v["c"]?.tupleItems
            XCTAssertEqual(c?[0].bool, true)
            if case .none? = c?[1] {} else { XCTFail("None expected") }
            XCTAssertEqual(c?[2].string, "xé")
            // The shared list: APPENDs after memoization are seen through the memo reference.
            XCTAssertEqual(v["e"]?.tupleItems?.first?.tupleItems?.first?.tupleItems?.count, 7)
        }
        // bytes: protocol 5 has SHORT_BINBYTES; protocol 2 records _codecs.encode(...) unevaluated.
        guard case .bytes(let raw)? = try PickleReader.read(bytes(protocol5), label: "p5")["d"] else { return XCTFail("bytes expected") }
        XCTAssertEqual(raw, [0, 1])
        XCTAssertEqual(try PickleReader.read(bytes(protocol2), label: "p2")["d"]?.typeName, "_codecs.encode")
    }

    func test_protocol_0_text_opcodes_decode() throws {
        // {'a': [1, -2, 2**40], 'b': 1.5, 'c': (True, None)}, protocol 0.
        let v = try PickleReader.read(bytes("286470300a56610a70310a286c70320a49310a61492d320a614c313039393531313632373737364c0a617356620a70330a46312e350a7356630a70340a284930310a4e7470350a732e"), label: "p0")
        XCTAssertEqual(v["a"]?.tupleItems?.compactMap(\.int), [1, -2, 1 << 40])
        XCTAssertEqual(v["b"]?.double, 1.5)
        XCTAssertEqual(v["c"]?.tupleItems?.first?.bool, true)
    }

    func test_a_call_to_os_system_is_recorded_never_executed() throws {
        // cos\nsystem\n(S'echo pwned'\ntR.  — what a malicious checkpoint would hold.
        let v = try PickleReader.read(bytes("636f730a73797374656d0a2853276563686f2070776e6564270a74522e"), label: "evil")
        XCTAssertEqual(v.typeName, "os.system")
        guard case .object(let call) = v else { return XCTFail("an inert object record expected") }
        XCTAssertEqual(call.arguments.first?.string, "echo pwned")
    }

    func test_truncated_pickle_is_an_error_at_every_cut() {
        let full = bytes(protocol2)
        for cut in 0..<full.count {
            XCTAssertThrowsError(try PickleReader.read(Array(full.prefix(cut)), label: "cut")) { error in
                guard case .malformed = error as? PolicyImportError else { return XCTFail("cut \(cut): \(error)") }
            }
        }
    }

    func test_unknown_opcode_and_extension_codes_are_refused_by_name() {
        XCTAssertThrowsError(try PickleReader.read([0x80, 0x02, 0xFF], label: "x")) { error in
            XCTAssertTrue("\(error)".contains("unknown pickle opcode 0xff"), "\(error)")
        }
        XCTAssertThrowsError(try PickleReader.read([0x80, 0x02, 0x82, 0x01, 0x2E], label: "x")) { error in
            XCTAssertTrue("\(error)".contains("EXT1"), "\(error)")
        }
    }

    func test_vecnormalize_statistics_are_read_from_the_real_pickle() throws {
        let stats = try VecNormalizeStatistics.read(try TestSupport.fixture("sb3_ppo.vecnormalize.pkl"), label: "vn", size: 5)
        XCTAssertEqual(stats.size, 5)
        XCTAssertEqual(stats.clip, 10)
        XCTAssertTrue(stats.variance.allSatisfy { $0 > 0.5 && $0 < 20 }, "\(stats.variance)")
        // The fixture's environment draws component k around k (make_fixtures.py).
        for (k, m) in stats.mean.enumerated() { XCTAssertEqual(Double(m), Double(k), accuracy: 1.5) }
        XCTAssertThrowsError(try VecNormalizeStatistics.read(try TestSupport.fixture("sb3_ppo.vecnormalize.pkl"), label: "vn", size: 7)) { error in
            XCTAssertTrue("\(error)".contains("normalises 5"), "\(error)")
        }
    }
}
