#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a file was not read or written: the path and what is wrong with it, worded so the user
/// knows what to change ("/dev/zero: is a character device, not a regular file; …").
public struct RegularFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The failure of open(2) or stat(2) in words.
    init(path: String, openFailure code: Int32) {
        switch code {
        case ENOENT:
            let directory = RegularFile.directoryOf(path)
            var status = stat()
            if directory != ".", stat(directory, &status) != 0 {
                self.init(path: path, reason: "does not exist (nor does the directory \(directory))")
            } else {
                self.init(path: path, reason: "does not exist")
            }
        case EACCES: self.init(path: path, reason: "permission denied")
        case EISDIR: self.init(path: path, reason: "is a directory, not a regular file")
        default: self.init(path: path, reason: String(cString: strerror(code)))
        }
    }

    public var description: String { "\(path): \(reason)" }
}
