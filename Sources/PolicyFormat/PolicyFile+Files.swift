import RegularFiles

/// Reading and writing `.policy` files on disk (POSIX calls through `RegularFiles`, no
/// Foundation).
extension PolicyFile {
    /// The largest policy file a reader accepts: 256 MiB, the body-length field's reach cut to
    /// what a policy can need (two 4096-wide hidden layers, the widest training accepts, are
    /// 68 MiB of float32 weights). A larger file is refused before anything is read.
    public static let maximumFileBytes = 1 << 28

    /// Read and validate the policy at `path`. Anything but a regular file (a FIFO, a device
    /// such as /dev/zero, a directory) is refused without reading from it.
    public init(contentsOfFile path: String) throws(PolicyFileError) {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: Self.maximumFileBytes, what: "a .policy file")
        } catch {
            throw .unreadable(error.description)
        }
        try self.init(decoding: bytes)
    }

    /// Write the policy to `path` atomically (a temporary file in the same directory, flushed,
    /// then renamed over `path`); a `path` that exists and is not a regular file is refused.
    public func write(toFile path: String) throws(PolicyFileError) {
        let bytes = try encoded()
        do {
            try RegularFile.write(bytes, to: path)
        } catch {
            throw .unreadable(error.description)
        }
    }
}
