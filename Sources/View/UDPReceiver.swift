#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A UDP socket bound to 127.0.0.1:port (socket(2), bind(2), poll(2), recv(2)): the view's end of
/// the controller's telemetry datagrams.
final class UDPReceiver: @unchecked Sendable {
    private let fd: Int32

    init(port: UInt16) throws(ViewError) {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw .socket("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let why = String(cString: strerror(errno))
            Glibc.close(fd)
            throw .socket("cannot listen on udp://127.0.0.1:\(port): \(why); choose another --controller-udp port")
        }
    }

    /// The next datagram as text, or nil after `timeoutMilliseconds` without one.
    func receive(timeoutMilliseconds: Int32) async -> String? {
        let fd = self.fd
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&p, 1, timeoutMilliseconds) > 0 else { continuation.resume(returning: nil); return }
                var buffer = [UInt8](repeating: 0, count: 2048)
                let n = recv(fd, &buffer, buffer.count, 0)
                continuation.resume(returning: n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : nil)
            }
        }
    }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    deinit { Glibc.close(fd) }
}
