import Controller
import Foundation

/// Frames received as UDP datagrams on this loopback port, from either of the two senders:
/// - a running `furuta-controller run`, which sends each telemetry record (its `--log` CSV
///   line) when started with FURUTA_VIEW_UDP=127.0.0.1:PORT (Controller's TelemetryPublisher);
/// - a running `furuta twin --view-udp 127.0.0.1:PORT`, which sends its physics state as
///   `ViewFrame` JSON (`TwinViewPublisher`).
public struct ControllerTelemetrySource: FrameSource {
    public enum Sender: Sendable { case controller, twin }
    public let port: UInt16
    /// Who the user said sends (only the description depends on it: both formats are read).
    public let sender: Sender

    public init(port: UInt16, sender: Sender = .controller) {
        self.port = port
        self.sender = sender
    }

    public var description: String {
        switch sender {
        case .controller: "furuta-controller run or session telemetry on udp://127.0.0.1:\(port) (start it with FURUTA_VIEW_UDP=127.0.0.1:\(port))"
        case .twin: "the twin's physics on udp://127.0.0.1:\(port) (start it with furuta twin --view-udp 127.0.0.1:\(port))"
        }
    }

    public func run(into hub: FrameHub) async throws {
        let socket = try UDPReceiver(port: port)
        let columns = TelemetryCSV.header.split(separator: ",").map(String.init)
        func index(_ name: String) -> Int { columns.firstIndex(of: name)! }
        let time = index("time_s"), arm = index("arm_angle_rad"), pendulum = index("pendulum_angle_rad"),
            armVelocity = index("arm_velocity_rad_s"), pendulumVelocity = index("pendulum_velocity_rad_s"),
            duty = index("duty_applied"), phase = index("phase"), sampled = index("has_sample")
        await withTaskCancellationHandler {
            while !Task.isCancelled {
                // A blocking receive with a short timeout, on a thread of its own.
                guard let line = await socket.receive(timeoutMilliseconds: 200) else { continue }
                if line.hasPrefix("{") {
                    if let frame = ViewFrame(json: line) { hub.publish(frame) }
                    continue
                }
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                // A period without a state sample from the device carries no angles.
                guard cells.count == columns.count, cells[sampled] == "1" else { continue }
                func d(_ i: Int) -> Double { Double(cells[i].trimmingCharacters(in: .whitespacesAndNewlines)) ?? .nan }
                hub.publish(ViewFrame(timeS: d(time), armAngleRad: d(arm), pendulumAngleRad: d(pendulum),
                                      armVelocityRadPerS: d(armVelocity), pendulumVelocityRadPerS: d(pendulumVelocity),
                                      duty: d(duty), mode: String(cells[phase])))
            }
        } onCancel: {
            socket.close()
        }
    }
}
