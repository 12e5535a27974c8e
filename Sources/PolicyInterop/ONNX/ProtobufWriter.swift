/// The protobuf wire format, as much of it as ONNX needs: varints, 64-bit-free fixed32 packing
/// and length-delimited fields (strings, bytes, embedded messages).
///
///     key      = (field number << 3) | wire type      (varint)
///     varint   = 7 bits per byte, low group first, high bit set on every byte but the last
///     wire type 0 varint (int32, int64, enum), 2 length-delimited (varint length, then bytes),
///               5 fixed32 (float, little-endian)
///
/// Negative int64 values are written as 10-byte two's-complement varints, as protobuf does.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    enum WireType: UInt64 {
        case varint = 0
        case lengthDelimited = 2
        case fixed32 = 5
    }

    private mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    private mutating func appendKey(_ field: Int, _ type: WireType) {
        appendVarint(UInt64(field) << 3 | type.rawValue)
    }

    /// int32, int64 or enum field (negative values as 64-bit two's complement).
    mutating func int(_ field: Int, _ value: Int64) {
        appendKey(field, .varint)
        appendVarint(UInt64(bitPattern: value))
    }

    /// float field.
    mutating func float(_ field: Int, _ value: Float) {
        appendKey(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// bytes field (also the packed form of repeated scalars).
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        appendKey(field, .lengthDelimited)
        appendVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// string field (UTF-8).
    mutating func string(_ field: Int, _ value: String) {
        bytes(field, Array(value.utf8))
    }

    /// Embedded message field.
    mutating func message(_ field: Int, _ build: (inout ProtobufWriter) -> Void) {
        var inner = ProtobufWriter()
        build(&inner)
        bytes(field, inner.bytes)
    }
}
