import CZlib

/// zlib calls (the only C in the importers): raw-deflate decoding and CRC-32.
enum Inflate {
    /// Decode raw deflate data (zip method 8: no zlib header, `inflateInit2` with −15 window
    /// bits) into exactly `expectedSize` bytes.
    static func raw(_ compressed: ArraySlice<UInt8>, expectedSize: Int, what: String) throws(PolicyImportError) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expectedSize)
        var input = Array(compressed)
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .malformed("\(what): zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = uInt(inBuffer.count)
                stream.next_out = outBuffer.baseAddress
                stream.avail_out = uInt(outBuffer.count)
                return inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expectedSize else {
            throw .malformed("\(what): deflate data is damaged or truncated (zlib status \(status), \(stream.total_out) of \(expectedSize) bytes)")
        }
        return output
    }

    /// CRC-32 (zlib's `crc32`, the zip checksum).
    static func crc32(_ data: [UInt8]) -> UInt32 {
        data.withUnsafeBufferPointer { UInt32(CZlib.crc32(0, $0.baseAddress, uInt($0.count))) }
    }
}
