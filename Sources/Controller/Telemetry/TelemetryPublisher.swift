#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Live telemetry for `furuta view --controller-udp PORT`: each drained record is sent as one
/// UDP datagram holding its `--log` CSV line (TelemetryCSV), to the loopback address in the
/// environment variable FURUTA_VIEW_UDP (e.g. `127.0.0.1:9870`). Only when that variable is set;
/// called from the drain thread, never from the loop thread, with a non-blocking send that drops
/// a datagram rather than wait (no viewer listening costs one failed sendto per record).
public final class TelemetryPublisher: @unchecked Sendable {
    /// The publisher the environment asks for, or nil (the default: nothing is sent).
    public static let fromEnvironment: TelemetryPublisher? = {
        guard let value = ProcessInfo.processInfo.environment["FURUTA_VIEW_UDP"], !value.isEmpty else { return nil }
        return TelemetryPublisher(address: value)
    }()

    private let fd: Int32
    private var address = sockaddr_in()

    /// `address` is "127.0.0.1:PORT" or ":PORT"; only loopback addresses are accepted.
    public init?(address text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let port = UInt16(parts[1]), port > 0 else { return nil }
        let host = parts[0].isEmpty ? "127.0.0.1" : String(parts[0])
        guard host.hasPrefix("127.") || host == "localhost" else { return nil }
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { return nil }
    }

    deinit { close(fd) }

    public func publish(_ record: TickRecord) {
        publish(line: TelemetryCSV.line(record))
    }

    /// One datagram holding `line` (also the twin's `ViewFrame` JSON, see View's TwinViewPublisher).
    public func publish(line: String) {
        _ = line.utf8CString.withUnsafeBufferPointer { bytes in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count - 1, Int32(MSG_DONTWAIT), $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }
}
