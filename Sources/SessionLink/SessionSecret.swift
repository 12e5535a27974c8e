#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Foundation

/// The key both ends of the link prove they hold: 32 random bytes, stored hex-encoded on one
/// line in DIR/learner.secret with mode 0600 (owner only). The first of the two processes to
/// start creates it (written under a temporary name, then hard-linked into place, so the other
/// never reads a half-written file); a learner on another machine gets a copy
/// (`scp robot:runs/s1/learner.secret runs/s1/`, or `--secret FILE` on both sides).
public struct SessionSecret: Sendable {
    /// The key's bytes (SymmetricKey is not Sendable; one is made for each MAC).
    let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    var key: SymmetricKey { SymmetricKey(data: bytes) }

    public static func defaultPath(sessionFolder folder: String) -> String { folder + "/learner.secret" }

    /// The secret at `path`, created when absent. Refuses a file others may read.
    public static func loadOrCreate(_ path: String) throws(LinkError) -> SessionSecret {
        if access(path, F_OK) != 0 { try create(path) }
        return try load(path)
    }

    /// The secret at `path`; refuses a missing file, a file group or others may access, or one
    /// that is not 64 hex digits.
    public static func load(_ path: String) throws(LinkError) -> SessionSecret {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw LinkError("no session secret at \(path): start `furuta learn` on this folder first, or copy the secret file from the learner's machine")
        }
        guard status.st_mode & 0o077 == 0 else {
            throw LinkError("\(path) may be read by others (mode \(String(status.st_mode & 0o777, radix: 8))): run chmod 600 \(path)")
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LinkError("cannot read the session secret \(path)")
        }
        let hex = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard hex.count == 64, let bytes = Self.bytes(hex: hex) else {
            throw LinkError("\(path) is not a session secret (64 hex digits); delete it to have a new one made")
        }
        return SessionSecret(bytes: bytes)
    }

    /// A new random secret at `path` (no-op when another process made one first).
    static func create(_ path: String) throws(LinkError) {
        let key = SymmetricKey(size: .bits256)
        let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() } + "\n"
        let temporary = "\(path).tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw LinkError("cannot create the session secret \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(hex.utf8)
        let written = write(descriptor, bytes, bytes.count)
        let flushed = written == bytes.count && fsync(descriptor) == 0
        close(descriptor)
        defer { unlink(temporary) }
        guard flushed else { throw LinkError("cannot write the session secret \(path)") }
        // link(2) fails with EEXIST when the other process won the race: its secret stands.
        if link(temporary, path) != 0 && errno != EEXIST {
            throw LinkError("cannot create the session secret \(path): \(String(cString: strerror(errno)))")
        }
    }

    static func bytes(hex: String) -> [UInt8]? {
        var out: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: return nil
            }
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }
}
