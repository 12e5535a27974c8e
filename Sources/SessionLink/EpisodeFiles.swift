#if canImport(Glibc)
import Glibc
#endif
import Crypto

/// The episode logs of a session folder's `episodes/` as the link reads and writes them:
/// `episode-NNNNNN.csv`, written under a hidden temporary name and renamed into place (the
/// learner's folder poll never sees half a file; it ignores hidden names).
public struct EpisodeFiles: Sendable {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    public func path(_ index: Int) -> String {
        let s = String(index)
        return directory + "/episode-" + String(repeating: "0", count: max(0, 6 - s.count)) + s + ".csv"
    }

    public func exists(_ index: Int) -> Bool { access(path(index), F_OK) == 0 }

    /// The complete episode logs present, by number.
    public func indices() -> [Int] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var out: [Int] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard name.hasPrefix("episode-"), name.hasSuffix(".csv"),
                  let n = Int(name.dropFirst("episode-".count).dropLast(".csv".count)) else { continue }
            out.append(n)
        }
        return out.sorted()
    }

    public func read(_ index: Int) -> [UInt8]? { Self.readFile(path(index)) }

    /// Writes episode `index` unless it is already there. Returns whether it wrote.
    @discardableResult
    public func writeIfAbsent(_ index: Int, _ bytes: [UInt8]) throws(LinkError) -> Bool {
        guard !exists(index) else { return false }
        let temporary = directory + "/.episode-\(index).link-\(getpid())"
        try Self.writeFile(temporary, bytes, mode: 0o644)
        guard rename(temporary, path(index)) == 0 else {
            unlink(temporary)
            throw LinkError("cannot rename \(temporary) into \(path(index)): \(String(cString: strerror(errno)))")
        }
        return true
    }

    public static func digest(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return n == 0 ? out : nil }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// `bytes` to `path` (created or truncated), fsync'd.
    public static func writeFile(_ path: String, _ bytes: [UInt8], mode: mode_t) throws(LinkError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw LinkError("cannot write \(path): \(String(cString: strerror(errno)))") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            written += n
        }
        let ok = written == bytes.count && fsync(fd) == 0
        close(fd)
        guard ok else { unlink(path); throw LinkError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }
}
