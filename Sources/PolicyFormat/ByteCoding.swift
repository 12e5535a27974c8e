/// Little-endian encoding of the primitive values in a `.policy` file.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func write<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
    mutating func write(_ value: Float) { write(value.bitPattern) }
    mutating func write(_ value: Double) { write(value.bitPattern) }
    mutating func write(_ values: [Float]) { for v in values { write(v.bitPattern) } }
    /// UTF-8 with a UInt32 byte count in front.
    mutating func write(_ string: String) {
        let utf8 = Array(string.utf8)
        write(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
    mutating func append(_ more: [UInt8]) { bytes.append(contentsOf: more) }
    mutating func overwrite(_ value: UInt32, at offset: Int) {
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(k))) }
    }
}

/// Reads what `ByteWriter` wrote; every read checks the remaining length and throws
/// `.truncated` with the byte count the read needed.
struct ByteReader {
    let bytes: [UInt8]
    private(set) var offset: Int
    let end: Int

    init(_ bytes: [UInt8], from offset: Int = 0, to end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    private mutating func take(_ count: Int) throws(PolicyFileError) -> Int {
        guard count >= 0, end - offset >= count else {
            throw .truncated(expectedBytes: offset + max(count, 0), actualBytes: end)
        }
        defer { offset += count }
        return offset
    }

    mutating func read<T: FixedWidthInteger>(_: T.Type) throws(PolicyFileError) -> T {
        let start = try take(MemoryLayout<T>.size)
        var value: T = 0
        for k in 0..<MemoryLayout<T>.size { value |= T(truncatingIfNeeded: bytes[start + k]) << (8 * k) }
        return value
    }
    mutating func readFloat() throws(PolicyFileError) -> Float { Float(bitPattern: try read(UInt32.self)) }
    mutating func readDouble() throws(PolicyFileError) -> Double { Double(bitPattern: try read(UInt64.self)) }
    mutating func readFloats(_ count: Int) throws(PolicyFileError) -> [Float] {
        let start = try take(count * 4)
        var out = [Float](repeating: 0, count: count)
        for j in 0..<count {
            let b = start + 4 * j
            let bits = UInt32(bytes[b]) | UInt32(bytes[b + 1]) << 8 | UInt32(bytes[b + 2]) << 16 | UInt32(bytes[b + 3]) << 24
            out[j] = Float(bitPattern: bits)
        }
        return out
    }
    mutating func readString() throws(PolicyFileError) -> String {
        let count = Int(try read(UInt32.self))
        let start = try take(count)
        guard let string = String(validating: bytes[start..<start + count], as: UTF8.self) else {
            throw .invalidValue("a text field at byte \(start) is not valid UTF-8")
        }
        return string
    }
    /// Read a count and refuse absurd ones before allocating for them.
    mutating func readCount(_ what: String, limit: Int = 1 << 24) throws(PolicyFileError) -> Int {
        let count = Int(try read(UInt32.self))
        guard count <= limit else { throw .invalidValue("\(what) \(count) exceeds \(limit)") }
        return count
    }
}
