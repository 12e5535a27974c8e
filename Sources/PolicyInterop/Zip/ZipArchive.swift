import CZlib

/// A read-only zip archive in memory: the central directory is read once, entries are
/// extracted on demand. Supports what Python's `zipfile` and PyTorch write: stored (method 0)
/// and deflated (method 8) entries, ZIP64 sizes and offsets. No encryption, no multi-disk.
///
///     end of central directory (EOCD, signature 0x06054b50, within the last 64 KiB + 22 bytes)
///       → [ZIP64 EOCD locator 0x07064b50 → ZIP64 EOCD 0x06064b50] when fields are 0xFFFF…
///       → central directory: one header (0x02014b50) per entry: method, sizes, CRC, name,
///         local header offset
///       → local header (0x04034b50): name and extra field lengths, then the entry's data
///
/// Every offset and length is checked against the archive's size, so a truncated or damaged
/// archive is reported as such (`PolicyImportError.malformed`), never read out of bounds.
public struct ZipArchive: Sendable {
    public struct Entry: Sendable {
        public var name: String
        var method: UInt16
        var crc32: UInt32
        var compressedSize: Int
        var uncompressedSize: Int
        var localHeaderOffset: Int
    }

    private let bytes: [UInt8]
    /// Label for messages (the file's path).
    public let label: String
    public private(set) var entries: [Entry] = []

    public init(bytes: [UInt8], label: String) throws(PolicyImportError) {
        self.bytes = bytes
        self.label = label
        entries = try readCentralDirectory()
    }

    public var names: [String] { entries.map(\.name) }

    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The uncompressed contents of `name`.
    public func contents(of name: String) throws(PolicyImportError) -> [UInt8] {
        guard let entry = entry(named: name) else { throw .malformed("\(label) has no entry '\(name)'") }
        return try contents(of: entry)
    }

    public func contents(of entry: Entry) throws(PolicyImportError) -> [UInt8] {
        let local = entry.localHeaderOffset
        guard try u32(local) == 0x0403_4b50 else {
            throw .malformed("\(label): entry '\(entry.name)' has no local header at offset \(local); the archive is damaged")
        }
        let start = local + 30 + Int(try u16(local + 26)) + Int(try u16(local + 28))
        guard start + entry.compressedSize <= bytes.count else {
            throw .malformed("\(label) is truncated: entry '\(entry.name)' needs bytes up to \(start + entry.compressedSize), the file has \(bytes.count); copy it again")
        }
        let data: [UInt8]
        switch entry.method {
        case 0:
            data = Array(bytes[start..<start + entry.compressedSize])
        case 8:
            data = try Inflate.raw(bytes[start..<start + entry.compressedSize], expectedSize: entry.uncompressedSize,
                                   what: "\(label) entry '\(entry.name)'")
        default:
            throw .unsupported("\(label): entry '\(entry.name)' uses zip compression method \(entry.method); only stored (0) and deflate (8) are read — re-save the archive with Python's zipfile")
        }
        guard data.count == entry.uncompressedSize else {
            throw .malformed("\(label): entry '\(entry.name)' is \(data.count) bytes, its header says \(entry.uncompressedSize)")
        }
        guard Inflate.crc32(data) == entry.crc32 else {
            throw .malformed("\(label): entry '\(entry.name)' fails its CRC-32 check; the archive is damaged")
        }
        return data
    }

    // MARK: central directory

    private func readCentralDirectory() throws(PolicyImportError) -> [Entry] {
        guard bytes.count >= 22 else {
            throw .malformed("\(label) is not a zip archive (\(bytes.count) bytes, shorter than an end-of-directory record)")
        }
        // The EOCD is 22 bytes plus a comment of at most 65 535 bytes, at the very end.
        var eocd = -1
        var at = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while at >= lowest {
            // A real EOCD's comment ends exactly at the end of the file; a signature inside an
            // entry (a stored inner zip, as SB3's policy.pth is) does not, so a cut file is not
            // mistaken for the inner archive.
            if bytes[at] == 0x50 && bytes[at + 1] == 0x4b && bytes[at + 2] == 0x05 && bytes[at + 3] == 0x06,
               at + 22 + (Int(bytes[at + 20]) | Int(bytes[at + 21]) << 8) == bytes.count { eocd = at; break }
            at -= 1
        }
        guard eocd >= 0 else {
            let looksZip = bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4b
            throw .malformed(looksZip
                ? "\(label) is a truncated zip archive (no end-of-central-directory record); copy the file again"
                : "\(label) is not a zip archive; pass a Stable-Baselines3 .zip or a PyTorch .pt file")
        }
        var count = Int(try u16(eocd + 10))
        var directorySize = Int(try u32(eocd + 12))
        var directoryOffset = Int(try u32(eocd + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // ZIP64: the locator sits just before the EOCD and points at the ZIP64 EOCD.
            let locator = eocd - 20
            guard locator >= 0, try u32(locator) == 0x0706_4b50 else {
                throw .malformed("\(label): ZIP64 archive without its ZIP64 locator; the archive is damaged")
            }
            let record = try int64(locator + 8)
            guard try u32(record) == 0x0606_4b50 else { throw .malformed("\(label): ZIP64 end record missing; the archive is damaged") }
            count = try int64(record + 32)
            directorySize = try int64(record + 40)
            directoryOffset = try int64(record + 48)
        }
        guard directoryOffset + directorySize <= bytes.count else {
            throw .malformed("\(label) is truncated: its directory lies at bytes \(directoryOffset)…\(directoryOffset + directorySize), the file has \(bytes.count); copy it again")
        }
        var entries: [Entry] = []
        var p = directoryOffset
        for index in 0..<count {
            guard try u32(p) == 0x0201_4b50 else { throw .malformed("\(label): directory entry \(index) is damaged") }
            let flags = try u16(p + 8)
            let method = try u16(p + 10)
            let crc = try u32(p + 16)
            var compressed = Int(try u32(p + 20))
            var uncompressed = Int(try u32(p + 24))
            let nameLength = Int(try u16(p + 28)), extraLength = Int(try u16(p + 30)), commentLength = Int(try u16(p + 32))
            var offset = Int(try u32(p + 42))
            let name = String(decoding: try slice(p + 46, nameLength), as: UTF8.self)
            guard flags & 1 == 0 else { throw .unsupported("\(label): entry '\(name)' is encrypted") }
            // ZIP64 extended information (header id 1): the 64-bit values of the fields set to 0xFFFFFFFF, in order.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = try u16(e), size = Int(try u16(e + 2))
                if id == 1 {
                    var q = e + 4
                    if uncompressed == 0xFFFF_FFFF { uncompressed = try int64(q); q += 8 }
                    if compressed == 0xFFFF_FFFF { compressed = try int64(q); q += 8 }
                    if offset == 0xFFFF_FFFF { offset = try int64(q); q += 8 }
                }
                e += 4 + size
            }
            entries.append(Entry(name: name, method: method, crc32: crc, compressedSize: compressed,
                                 uncompressedSize: uncompressed, localHeaderOffset: offset))
            p = extraEnd + commentLength
        }
        return entries
    }

    // MARK: bounds-checked little-endian reads

    private func slice(_ at: Int, _ count: Int) throws(PolicyImportError) -> ArraySlice<UInt8> {
        guard at >= 0, count >= 0, at + count <= bytes.count else {
            throw .malformed("\(label) is truncated or damaged: a record at byte \(at) runs past the end (\(bytes.count) bytes); copy the file again")
        }
        return bytes[at..<at + count]
    }

    private func u16(_ at: Int) throws(PolicyImportError) -> UInt16 {
        let s = try slice(at, 2)
        return UInt16(s[s.startIndex]) | UInt16(s[s.startIndex + 1]) << 8
    }

    private func u32(_ at: Int) throws(PolicyImportError) -> UInt32 {
        let s = try slice(at, 4)
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(s[s.startIndex + k]) << (8 * k) }
        return v
    }

    private func int64(_ at: Int) throws(PolicyImportError) -> Int {
        let s = try slice(at, 8)
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(s[s.startIndex + k]) << (8 * k) }
        guard v <= UInt64(Int.max / 2) else { throw .malformed("\(label): a ZIP64 size or offset is out of range") }
        return Int(v)
    }
}
