import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A connected stream socket (Unix-domain or TCP) carrying `LinkFrame`s: non-blocking, every
/// wait bounded by poll(2), so no call of the link can hang its thread. All the link's socket
/// system calls are in this file.
public final class LinkSocket: @unchecked Sendable {
    let descriptor: Int32
    private var input: [UInt8] = []
    /// Frames from several threads (the learner's reader answering `want`, its main thread
    /// publishing) go out whole, one after the other. Receiving is one thread's job.
    private let sendLock = Mutex<Void>(())
    public let peer: String

    init(descriptor: Int32, peer: String) {
        self.descriptor = descriptor
        self.peer = peer
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit { close(descriptor) }

    /// Shuts the connection down both ways (the peer sees the end at once).
    public func shutdownBoth() { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }

    /// Connects to the learner at `address` within `timeoutMilliseconds`.
    public static func connect(_ address: LinkAddress, timeoutMilliseconds: Int32 = 2_000) throws(LinkError) -> LinkSocket {
        switch address {
        case .unix(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw LinkError("cannot make a socket: \(errnoText())") }
            var sa = try unixAddress(path)
            let result = withUnsafePointer(to: &sa) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard result == 0 else {
                let reason = errnoText()
                close(fd)
                throw LinkError("no learner listening at unix:\(path) (\(reason))")
            }
            return LinkSocket(descriptor: fd, peer: "unix:\(path)")
        case .tcp(let host, let port):
            for candidate in try resolve(host: host, port: port, passive: false) {
                let fd = socket(candidate.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                guard fd >= 0 else { continue }
                var storage = candidate.address
                let started = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, candidate.length) }
                }
                if started == 0 || errno == EINPROGRESS {
                    var slot = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    var failure: Int32 = 0
                    var size = socklen_t(MemoryLayout<Int32>.size)
                    if started == 0 || (poll(&slot, 1, timeoutMilliseconds) == 1
                        && getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size) == 0 && failure == 0) {
                        var one: Int32 = 1
                        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                        return LinkSocket(descriptor: fd, peer: "\(host):\(port)")
                    }
                }
                close(fd)
            }
            throw LinkError("no learner listening at \(host):\(port) (is `furuta learn --listen …:\(port)` running there, and the port open?)")
        }
    }

    /// Sends all of `frame` within `timeoutMilliseconds`; throws when the peer is gone or did not
    /// take the bytes in time (a stalled reader).
    public func send(_ frame: LinkFrame, timeoutMilliseconds: Int32) throws(LinkError) {
        let bytes = frame.encoded
        let failure = sendLock.withLock { _ -> LinkError? in
            do { try sendAll(bytes, timeoutMilliseconds: timeoutMilliseconds); return nil } catch let error as LinkError { return error } catch {
                return LinkError("\(error)")
            }
        }
        if let failure { throw failure }
    }

    private func sendAll(_ bytes: [UInt8], timeoutMilliseconds: Int32) throws(LinkError) {
        var offset = 0
        var waited: Int32 = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            guard n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) else { throw LinkError("the link to \(peer) broke: \(Self.errnoText())") }
            guard waited < timeoutMilliseconds else { throw LinkError("\(peer) took no data for \(timeoutMilliseconds) ms (stalled)") }
            var slot = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            _ = poll(&slot, 1, 20)
            waited += 20
        }
    }

    /// The next frame, waiting up to `timeoutMilliseconds` (nil when none arrived in time; a frame
    /// begun stays buffered). Throws when the peer closed or sent a frame over `maximumLength`.
    public func receive(timeoutMilliseconds: Int32, maximumLength: Int = LinkFrame.maximumLength) throws(LinkError) -> LinkFrame? {
        var remaining = timeoutMilliseconds
        while true {
            if let frame = try takeFrame(maximumLength: maximumLength) { return frame }
            var slot = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let step = min(max(remaining, 0), 50)
            let ready = poll(&slot, 1, step)
            remaining -= step
            if ready == 1 {
                var chunk = [UInt8](repeating: 0, count: 1 << 16)
                let n = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress!, $0.count, 0) }
                if n == 0 { throw LinkError("\(peer) closed the link") }
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw LinkError("the link to \(peer) broke: \(Self.errnoText())")
                }
                input.append(contentsOf: chunk[0..<n])
                continue
            }
            if remaining <= 0 { return nil }
        }
    }

    private func takeFrame(maximumLength: Int) throws(LinkError) -> LinkFrame? {
        guard let length = LinkFrame.uint32(input[...]).map(Int.init) else { return nil }
        guard length >= 1, length <= maximumLength else {
            throw LinkError("\(peer) sent a frame of \(length) bytes (at most \(maximumLength)): not a Furuta learner link")
        }
        guard input.count >= 4 + length else { return nil }
        guard let kind = LinkFrame.Kind(rawValue: input[4]) else { throw LinkError("\(peer) sent an unknown message (\(input[4]))") }
        let frame = LinkFrame(kind, Array(input[5..<(4 + length)]))
        input.removeFirst(4 + length)
        return frame
    }

    /// Shrinks the kernel's send buffer (tests of a stalled peer).
    public func setSendBuffer(bytes: Int32) {
        var value = bytes
        _ = setsockopt(descriptor, SOL_SOCKET, SO_SNDBUF, &value, socklen_t(MemoryLayout<Int32>.size))
    }

    // MARK: addresses

    static func unixAddress(_ path: String) throws(LinkError) -> sockaddr_un {
        var sa = sockaddr_un()
        sa.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: sa.sun_path)
        guard bytes.count < capacity else {
            throw LinkError("the socket path \(path) is \(bytes.count) bytes, longer than Unix sockets allow (\(capacity - 1)): use --learner unix:/tmp/SHORT.sock on both sides")
        }
        withUnsafeMutableBytes(of: &sa.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
            raw[bytes.count] = 0
        }
        return sa
    }

    struct Resolved {
        var family: Int32
        var address: sockaddr_storage
        var length: socklen_t
    }

    static func resolve(host: String, port: UInt16, passive: Bool) throws(LinkError) -> [Resolved] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        if passive { hints.ai_flags = AI_PASSIVE }
        var list: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host, String(port), &hints, &list)
        guard code == 0, let first = list else {
            throw LinkError("cannot resolve the learner's host '\(host)': \(String(cString: gai_strerror(code)))")
        }
        defer { freeaddrinfo(first) }
        var out: [Resolved] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let n = node {
            var storage = sockaddr_storage()
            withUnsafeMutableBytes(of: &storage) { dst in
                dst.copyMemory(from: UnsafeRawBufferPointer(start: n.pointee.ai_addr, count: Int(n.pointee.ai_addrlen)))
            }
            out.append(Resolved(family: n.pointee.ai_family, address: storage, length: n.pointee.ai_addrlen))
            node = n.pointee.ai_next
        }
        return out
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
