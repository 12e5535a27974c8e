/// TFRecord framing, the container of TensorBoard event files. Each record is
///
///     uint64 length (little-endian)
///     uint32 masked CRC-32C of the 8 length bytes
///     length bytes of data
///     uint32 masked CRC-32C of the data
public enum TFRecord {
    public static func frame(_ data: [UInt8]) -> [UInt8] {
        var length = [UInt8]()
        length.reserveCapacity(8)
        for i in 0..<8 { length.append(UInt8(truncatingIfNeeded: UInt64(data.count) >> (8 * UInt64(i)))) }
        var record = length
        record.reserveCapacity(16 + data.count)
        appendLittleEndian(CRC32C.masked(length), to: &record)
        record += data
        appendLittleEndian(CRC32C.masked(data), to: &record)
        return record
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for i in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }
}
