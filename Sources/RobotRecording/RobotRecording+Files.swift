#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension RobotRecording {
    /// Reads and checks a recording file (truncation, checksum, every row).
    public init(contentsOfFile path: String) throws(RecordingError) {
        guard let file = fopen(path, "rb") else {
            throw .cannotRead(file: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
            if count < chunk.count { break }
        }
        try self.init(decoding: String(decoding: bytes, as: UTF8.self), file: path)
    }

    /// Writes the recording: to `path.partial`, then renamed over `path`, so a reader never
    /// sees half a file under the final name.
    public func write(toFile path: String) throws(RecordingError) {
        let partial = path + ".partial"
        guard let file = fopen(partial, "wb") else {
            throw .cannotWrite(file: path, reason: String(cString: strerror(errno)))
        }
        let bytes = Array(encoded().utf8)
        let written = fwrite(bytes, 1, bytes.count, file)
        let closed = fclose(file)
        guard written == bytes.count, closed == 0, rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw .cannotWrite(file: path, reason: reason)
        }
    }
}
