/// CRC-32C (Castagnoli), the checksum TFRecord framing uses, and TensorFlow's masked form of it.
///
/// Polynomial 0x1EDC6F41, reflected (0x82F63B78), initial value and final XOR 0xFFFFFFFF;
/// check value CRC-32C("123456789") = 0xE3069283.
public enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0x82F6_3B78 ^ (c >> 1) : c >> 1 }
        return c
    }

    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    /// TensorFlow's mask, so a CRC stored next to the data it covers is not itself a valid CRC:
    /// masked = ((crc >> 15) | (crc << 17)) + 0xa282ead8 (mod 2³²).
    public static func masked<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        let c = checksum(bytes)
        return ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
    }
}
