import Testing
@testable import TensorBoard

@Suite struct EventEncodingTests {
    /// Bytes worked out by hand from the protobuf encoding rules.
    @Test func encodesAScalarSummaryField() {
        let event = Event(wallTime: 0, step: 300, content: .scalars([.init(tag: "a", value: 1)]))
        let expected: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0, 0,   // wall_time = 0.0 (field 1, fixed64)
                                 0x10, 0xAC, 0x02,               // step = 300 (field 2, varint)
                                 0x2A, 0x0A,                     // summary (field 5), 10 bytes
                                 0x0A, 0x08,                     //   value (field 1), 8 bytes
                                 0x0A, 0x01, 0x61,               //     tag = "a"
                                 0x15, 0x00, 0x00, 0x80, 0x3F]   //     simple_value = 1.0f
        #expect(event.encoded() == expected)
    }

    @Test func encodesNegativeStepsAsTenByteVarints() {
        let bytes = Event(wallTime: 0, step: -1, content: .sessionStart).encoded()
        #expect(Array(bytes[9..<20]) == [0x10] + Array(repeating: 0xFF, count: 9) + [0x01])
    }
}
