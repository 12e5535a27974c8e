import Controller
import Foundation
import Synchronization
import Twin

/// A running twin shown directly by `furuta view --twin-udp PORT`: `furuta twin --view-udp
/// 127.0.0.1:PORT` samples its physics (the MuJoCo state behind the firmware core, not what the
/// encoders quantise) `rateHz` times a second on an ordinary thread of its own — never the
/// device's real-time thread, whose lock it holds only to copy four numbers — and sends each
/// sample as one UDP datagram holding the `ViewFrame` JSON the page draws, mode "twin". The
/// send never blocks: with no view listening a datagram is dropped.
public final class TwinViewPublisher: Sendable {
    private let device: VirtualDevice
    private let sender: TelemetryPublisher
    private let rateHz: Double
    private let stopped = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    /// nil unless `address` is a loopback "127.0.0.1:PORT" (or ":PORT").
    public init?(device: VirtualDevice, address: String, rateHz: Double = 50) {
        guard let sender = TelemetryPublisher(address: address) else { return nil }
        self.device = device
        self.sender = sender
        self.rateHz = rateHz
    }

    /// The twin's state now, as the view draws it; nil when its plant is not MuJoCo's.
    public static func frame(of device: VirtualDevice) -> ViewFrame? {
        let state: (arm: Double, pendulum: Double, armVelocity: Double, pendulumVelocity: Double)? = device.withPlant { plant in
            guard let physics = (plant as? PhysicsPlant)?.physics else { return nil }
            return (physics.armAngle, physics.pendulumAngle, physics.armVelocity, physics.pendulumVelocity)
        }
        guard let state else { return nil }
        let snapshot = device.snapshot
        return ViewFrame(timeS: Double(snapshot.deviceTimeMicroseconds) * 1e-6, armAngleRad: state.arm,
                         pendulumAngleRad: state.pendulum, armVelocityRadPerS: state.armVelocity,
                         pendulumVelocityRadPerS: state.pendulumVelocity, duty: snapshot.appliedDuty, mode: "twin")
    }

    public func start() {
        let thread = Thread { [self] in
            let period = 1 / rateHz
            while !stopped.load(ordering: .acquiring) {
                if let frame = Self.frame(of: device) { sender.publish(line: frame.json()) }
                Thread.sleep(forTimeInterval: period)
            }
            finished.signal()
        }
        thread.name = "furuta-twin-view"
        thread.start()
    }

    /// Stops the thread (idempotent).
    public func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }
}
