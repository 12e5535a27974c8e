#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and replacing files that are meant to be ordinary files on disk: a device, a FIFO
/// or a directory given where a file belongs is refused instead of read forever, blocked on or
/// replaced. POSIX calls only (no Foundation), so every module may use it.
public enum RegularFile {
    /// The whole file at `path`, refusing anything but a regular file and any file larger than
    /// `limit` bytes (`what` names the kind of file in the message, e.g. "a robot description").
    ///
    /// Opened with O_NONBLOCK, so naming a FIFO cannot block the open; checked with fstat on
    /// the open descriptor, so the check and the read see the same file.
    public static func read(_ path: String, limit: Int, what: String = "the file") throws(RegularFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw RegularFileError(path: path, openFailure: errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw RegularFileError(path: path, openFailure: errno) }
        if let kind = nonRegularKind(status.st_mode) {
            throw RegularFileError(path: path, reason: "is \(kind), not a regular file; give the path of \(what)")
        }
        guard Int(status.st_size) <= limit else {
            throw RegularFileError(path: path, reason: "is \(status.st_size) bytes; \(what) is at most \(limit) bytes")
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw RegularFileError(path: path, reason: "cannot be read: \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            filled += n
        }
        // A file that shrank while being read is read as far as it goes; one that grew is cut
        // at the size fstat reported, which is within the limit.
        return Array(bytes[0..<filled])
    }

    /// Whether `path` may be written by `write(_:to:)`: absent or a regular file, in an existing
    /// directory. Creates nothing, so a run can check its output paths before it starts.
    public static func checkReplaceable(_ path: String) throws(RegularFileError) {
        var status = stat()
        if lstat(path, &status) == 0 {
            if let kind = nonRegularKind(status.st_mode) {
                throw RegularFileError(path: path, reason: "is \(kind), not a regular file; it is not replaced: choose another path")
            }
            guard access(path, W_OK) == 0 else {
                throw RegularFileError(path: path, reason: "is not writable: \(String(cString: strerror(errno)))")
            }
        }
        let directory = directoryOf(path)
        var directoryStatus = stat()
        guard stat(directory, &directoryStatus) == 0, (directoryStatus.st_mode & S_IFMT) == S_IFDIR else {
            throw RegularFileError(path: path, reason: "cannot be written: the directory \(directory) does not exist")
        }
        guard access(directory, W_OK) == 0 else {
            throw RegularFileError(path: path, reason: "cannot be written: the directory \(directory) is not writable")
        }
    }

    /// Writes `bytes` to `path` atomically: a new file in the same directory, flushed to disk,
    /// then renamed over `path`. Refuses (before writing anything) when `path` exists and is not
    /// a regular file, so a device node, FIFO, directory or symbolic link is never replaced.
    public static func write(_ bytes: [UInt8], to path: String) throws(RegularFileError) {
        try checkReplaceable(path)
        let temporary = "\(path).tmp-\(getpid())-\(nextTemporaryNumber())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RegularFileError(path: path, openFailure: errno) }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            written += n
        }
        let failure = errno
        let flushed = written == bytes.count && fsync(descriptor) == 0
        close(descriptor)
        guard flushed, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(flushed ? errno : failure))
            unlink(temporary)
            throw RegularFileError(path: path, reason: "cannot be written: \(reason)")
        }
    }

    /// Text as UTF-8, written as `write(_:to:)` does.
    public static func write(_ text: String, to path: String) throws(RegularFileError) {
        try write(Array(text.utf8), to: path)
    }

    /// "a directory", "a FIFO", … for anything but a regular file; nil for a regular file.
    static func nonRegularKind(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not an ordinary file"
        }
    }

    static func directoryOf(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static let counter = TemporaryCounter()
    private static func nextTemporaryNumber() -> Int { counter.next() }
}

/// Distinguishes temporary files of concurrent writes in one process.
private final class TemporaryCounter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()
    init() { pthread_mutex_init(&lock, nil) }
    func next() -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value
    }
}
