#if canImport(Glibc)
import Glibc
#endif

/// The learner's listening socket: a Unix-domain socket file (mode 0600; a stale file left by a
/// killed learner is replaced, a live one refused) or a TCP port.
public final class LinkListener: @unchecked Sendable {
    let descriptor: Int32
    public let address: LinkAddress
    private let socketPath: String?

    public init(_ address: LinkAddress) throws(LinkError) {
        self.address = address
        switch address {
        case .unix(let path):
            var sa = try LinkSocket.unixAddress(path)
            if access(path, F_OK) == 0 {
                if (try? LinkSocket.connect(address)) != nil {
                    throw LinkError("another learner is already listening at unix:\(path); stop it, or give this one --listen unix:OTHER.sock")
                }
                unlink(path) // left by a learner that was killed
            }
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw LinkError("cannot make a socket: \(LinkSocket.errnoText())") }
            let bound = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard bound == 0, listen(fd, 4) == 0 else {
                let reason = LinkSocket.errnoText()
                close(fd)
                throw LinkError("cannot listen at unix:\(path): \(reason)")
            }
            chmod(path, 0o600)
            descriptor = fd
            socketPath = path
        case .tcp(let host, let port):
            var made: Int32 = -1
            var reason = "no address"
            for candidate in try LinkSocket.resolve(host: host, port: port, passive: true) {
                let fd = socket(candidate.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                guard fd >= 0 else { continue }
                var one: Int32 = 1
                _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
                var storage = candidate.address
                let bound = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, candidate.length) }
                }
                if bound == 0, listen(fd, 4) == 0 { made = fd; break }
                reason = LinkSocket.errnoText()
                close(fd)
            }
            guard made >= 0 else { throw LinkError("cannot listen at \(host):\(port): \(reason) (another learner on that port? choose another with --listen HOST:PORT)") }
            descriptor = made
            socketPath = nil
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(descriptor)
        if let socketPath { unlink(socketPath) }
    }

    /// The next connection, waiting up to `timeoutMilliseconds`; nil when none came.
    public func accept(timeoutMilliseconds: Int32) -> LinkSocket? {
        var slot = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&slot, 1, timeoutMilliseconds) == 1 else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let fd = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.accept(descriptor, $0, &length) }
        }
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return LinkSocket(descriptor: fd, peer: Self.describe(storage, fallback: address))
    }

    /// The bound TCP port (for `HOST:0`, the port the kernel chose); nil for Unix sockets.
    public var boundPort: UInt16? {
        guard case .tcp = address else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard ok == 0 else { return nil }
        return withUnsafeBytes(of: &storage) { raw in
            // sin_port and sin6_port are both at offset 2, big-endian.
            UInt16(raw[2]) << 8 | UInt16(raw[3])
        }
    }

    static func describe(_ storage: sockaddr_storage, fallback: LinkAddress) -> String {
        var copy = storage
        guard Int32(storage.ss_family) == AF_INET || Int32(storage.ss_family) == AF_INET6 else { return "a local controller (\(fallback))" }
        var host = [CChar](repeating: 0, count: 256)
        var service = [CChar](repeating: 0, count: 32)
        let code = withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, socklen_t(MemoryLayout<sockaddr_storage>.size), &host, 256, &service, 32, NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        func text(_ c: [CChar]) -> String { String(decoding: c.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return code == 0 ? "\(text(host)):\(text(service))" : "a remote controller"
    }
}
