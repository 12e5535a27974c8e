import Testing
@testable import TensorBoard

@Suite struct CRC32CTests {
    @Test func matchesTheCastagnoliCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// Reference values from TensorBoard's own `masked_crc32c` (tensorflow_stub).
    @Test func masksAsTensorFlowDoes() {
        #expect(CRC32C.masked(Array("123456789".utf8)) == 0xC78A_B0E5)
        #expect(CRC32C.masked([UInt8]()) == 0xA282_EAD8)
    }

    @Test func framesALengthAndTwoChecksums() {
        let record = TFRecord.frame([1, 2, 3])
        #expect(record.count == 8 + 4 + 3 + 4)
        #expect(Array(record[0..<8]) == [3, 0, 0, 0, 0, 0, 0, 0])
        #expect(Array(record[12..<15]) == [1, 2, 3])
    }
}
