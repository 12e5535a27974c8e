import Controller
import Foundation
import RobotDescription
import RobotRecording
import Twin

/// Captures on a twin in this process: a `PhysicsPlant` with `physics` overrides behind the C
/// firmware core on a real pty, and the controller's `CaptureSession` on the other end.
enum TwinCapture {
    /// Each excitation on a fresh twin (the twin's pendulum barely damps, so homing after a
    /// swinging capture would wait minutes); returns the recordings' paths. A capture that a
    /// starved twin thread cut short (watchdog, stale state: this 2-core machine is shared) is
    /// retried on a fresh twin, up to three attempts.
    static func capture(physics: [String: String], excitations: [(ExcitationKind, Double)]) throws -> [String] {
        let nominal = try SyntheticRecording.description()
        var paths: [String] = []
        for (kind, seconds) in excitations {
            var failures: [String] = []
            while failures.count < 3 {
                if let path = try attempt(kind, seconds, physics: physics, nominal: nominal, failures: &failures) {
                    paths.append(path)
                    break
                }
            }
            if failures.count == 3 { throw CaptureFailed(description: failures.joined(separator: "; ")) }
        }
        return paths
    }

    private static func attempt(_ kind: ExcitationKind, _ seconds: Double, physics: [String: String], nominal: RobotDescription,
                                failures: inout [String]) throws -> String? {
        do {
            let plant = try PhysicsPlant(description: SyntheticRecording.description(overrides: physics))
            let device = try VirtualDevice(plant: plant)
            device.start()
            defer { device.close() }
            let path = NSTemporaryDirectory() + "furuta-twin-\(kind.rawValue)-\(UUID().uuidString).rec"
            var c = CaptureConfiguration(port: .path(device.slavePath), excitation: ExcitationSettings(kind: kind, robot: nominal.parameters),
                                         durationSeconds: seconds, outputPath: path, robot: nominal.parameters)
            c.handleSignals = false
            c.realtime.lockMemory = false
            c.homing.stillSeconds = 0.3
            c.baud = nil
            let outcome = try CaptureSession(configuration: c, robot: nominal.parameters).run()
            guard outcome.outcome == "completed" else {
                failures.append("\(kind) capture ended \(outcome.outcome) (\(outcome.fault ?? "-"))")
                unlink(path)
                return nil
            }
            return path
        }
    }

    struct CaptureFailed: Error, CustomStringConvertible { var description: String }
}
