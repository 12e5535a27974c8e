import Controller
import Foundation

/// Frames from a running `furuta-controller run`, which sends each telemetry record (its
/// `--log` CSV line) as a UDP datagram to this port on loopback when started with
/// FURUTA_VIEW_UDP=127.0.0.1:PORT (see Controller's TelemetryPublisher).
public struct ControllerTelemetrySource: FrameSource {
    public let port: UInt16

    public init(port: UInt16) { self.port = port }

    public var description: String { "furuta-controller run telemetry on udp://127.0.0.1:\(port) (start it with FURUTA_VIEW_UDP=127.0.0.1:\(port))" }

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
