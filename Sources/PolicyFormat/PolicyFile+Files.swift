#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing `.policy` files on disk (POSIX calls, no Foundation).
extension PolicyFile {
    /// Read and validate the policy at `path`.
    public init(contentsOfFile path: String) throws(PolicyFileError) {
        guard let handle = fopen(path, "rb") else {
            throw .unreadable("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
            if n < chunk.count {
                if ferror(handle) != 0 { throw .unreadable("error reading \(path)") }
                break
            }
        }
        try self.init(decoding: bytes)
    }

    /// Write the policy to `path` atomically (a temporary file in the same directory, flushed,
    /// then renamed over `path`).
    public func write(toFile path: String) throws(PolicyFileError) {
        let bytes = try encoded()
        let temporary = path + ".tmp-\(getpid())"
        guard let handle = fopen(temporary, "wb") else {
            throw .unreadable("cannot create \(temporary): \(String(cString: strerror(errno)))")
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        let flushed = fflush(handle) == 0 && fsync(fileno(handle)) == 0
        fclose(handle)
        guard written == bytes.count, flushed, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw .unreadable("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }
}
