@testable import PolicyInterop
import XCTest

final class ProtobufWriterTests: XCTestCase {
    func test_varints_keys_and_fields_follow_the_wire_format() {
        var w = ProtobufWriter()
        w.int(1, 150)            // key 0x08, varint 150 = 0x96 0x01 (protobuf's own example)
        w.string(2, "testing")   // key 0x12, length 7
        w.int(3, -1)             // negative int64: ten bytes
        w.float(4, 1)            // key 0x25, 0x3F800000 little-endian
        XCTAssertEqual(w.bytes, [0x08, 0x96, 0x01,
                                 0x12, 0x07] + Array("testing".utf8)
                                 + [0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
                                 + [0x25, 0x00, 0x00, 0x80, 0x3F])
    }

    func test_embedded_message_is_length_prefixed() {
        var w = ProtobufWriter()
        w.message(7) { $0.int(1, 1) }
        XCTAssertEqual(w.bytes, [0x3A, 0x02, 0x08, 0x01])
    }
}
