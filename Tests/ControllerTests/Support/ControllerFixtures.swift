import Controller
import FirmwareLink
import Foundation
import MotorModel
import PolicyFormat
import RobotDescription
import Simulation
import Twin

/// Shared inputs of the controller tests: the shipped robot, the known-good policy, small
/// hand-made policies, and a twin (firmware core + MuJoCo pendulum) on a real pty.
enum ControllerFixtures {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static var robotPath: String { packageRoot.appendingPathComponent("assets/furuta/robot.yaml").path }

    static func robot(overrides: [String: String] = [:]) throws -> RobotDescription {
        try RobotDescription.load(from: robotPath, overrides: overrides)
    }

    /// Trained by `furuta train` with default settings, seed 1 (Fixtures/swingup.config.yaml).
    static var swingUpPolicyPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/swingup.policy").path
    }

    /// A policy of the trained shape whose action is the constant `action` (zero weights, bias).
    static func constantPolicy(_ action: Float, robot: RobotParameters) -> PolicyFile {
        var file = SyntheticPolicy.make(robot: robot)
        for index in file.layers.indices {
            file.layers[index].weights = file.layers[index].weights.map { _ in 0 }
            file.layers[index].biases = file.layers[index].biases.map { _ in 0 }
        }
        file.layers[file.layers.count - 1].biases = [action]
        return file
    }

    /// A policy whose output is NaN with finite weights: two hidden units overflow to +∞ and −∞
    /// on the cos α inputs (1 when hanging), and the output adds them: ∞ + (−∞) = NaN.
    static func nanPolicy(robot: RobotParameters) -> PolicyFile {
        var file = SyntheticPolicy.make(robot: robot)
        let layout = file.observationLayout
        var weights = [Float](repeating: 0, count: layout.size * 2)
        for i in 0..<layout.size { weights[i * 2] = 3e38; weights[i * 2 + 1] = -3e38 }
        file.layers = [
            DenseLayer(inputCount: layout.size, outputCount: 2, activation: .identity, weights: weights, biases: [0, 0]),
            DenseLayer(inputCount: 2, outputCount: 1, activation: .identity, weights: [1, 1], biases: [0]),
        ]
        file.normalization = ObservationNormalization(mean: Array(repeating: 0, count: layout.size),
                                                      variance: Array(repeating: 1, count: layout.size))
        return file
    }

    /// Writes `file` to a fresh temporary path.
    static func write(_ file: PolicyFile) throws -> String {
        let path = NSTemporaryDirectory() + "furuta-policy-\(UUID().uuidString).policy"
        try file.write(toFile: path)
        return path
    }

    /// A training session's settings for a twin in a test: `episodeSeconds` episodes, no
    /// exploration, no signal handling or memory locking, a short homing, the pty's own speed.
    static func twinSessionSettings(_ folder: SessionFolder, port: String, episodeSeconds: Double) -> RobotTrainingSession.Settings {
        var settings = RobotTrainingSession.Settings(port: .path(port), folder: folder)
        settings.episodeSeconds = episodeSeconds
        settings.firstPolicyTimeoutSeconds = 5
        settings.exploration = ExplorationNoiseSequence(sigma: 0)
        settings.configure = { configuration in
            configuration.handleSignals = false
            configuration.realtime.lockMemory = false
            configuration.homing.stillSeconds = 0.3
            configuration.baud = nil
        }
        return settings
    }

    static func temporaryPath(_ suffix: String) -> String {
        NSTemporaryDirectory() + "furuta-\(UUID().uuidString)-\(suffix)"
    }

    /// A new session folder whose first candidate is the still policy (`constantPolicy(0)`): the
    /// learner's first policy, for sessions that test the controller and not the learning.
    static func sessionFolderWithStillPolicy(robot: RobotParameters, _ suffix: String = "session") throws -> SessionFolder {
        let folder = SessionFolder(path: temporaryPath(suffix))
        try folder.create()
        try constantPolicy(0, robot: robot).write(toFile: folder.candidate(1))
        return folder
    }

    /// A loop-thread launcher that holds the new thread off the CPU for `seconds` before its
    /// body runs, as a loaded host does (the thread is created, then not scheduled).
    static func loopThreadHeldOff(seconds: Double) -> LoopThreadLauncher {
        { name, options, body in
            RealtimeThread.run(name: name, options: options) {
                Thread.sleep(forTimeInterval: seconds)
                body()
            }
        }
    }

    /// A started twin: the shipped robot in MuJoCo behind the C firmware core on a pty.
    static func startTwin(faults: FaultInjection = .none, physics: [String: String] = [:]) throws -> VirtualDevice {
        let plant = try PhysicsPlant(description: robot(overrides: physics))
        var options = VirtualDevice.Options()
        options.faults = faults
        let device = try VirtualDevice(plant: plant, options: options)
        device.start()
        return device
    }

    /// Session settings for tests: no signal handlers (in-process), no mlockall, short homing.
    static func configuration(policy: String, port: String, robot: RobotParameters,
                              seconds: Double?) -> SessionConfiguration {
        var configuration = SessionConfiguration(policyPath: policy, port: .path(port), robot: robot)
        configuration.durationSeconds = seconds
        configuration.handleSignals = false
        configuration.realtime.lockMemory = false
        configuration.homing.stillSeconds = 0.3
        configuration.baud = nil
        return configuration
    }
}

extension VirtualDevice {
    /// Device time (s) of the first moment the motor duty became and stayed 0 from `after` on,
    /// or nil if it is not 0 now.
    func zeroSince(after deviceSeconds: Double) -> Double? {
        guard snapshot.appliedDutyQ15 == 0 else { return nil }
        let changes = dutyChanges
        guard let last = changes.last(where: { $0.dutyQ15 != 0 }) else { return deviceSeconds }
        let lastNonZeroIndex = changes.lastIndex(of: last)!
        let next = changes[(lastNonZeroIndex + 1)...].first { $0.dutyQ15 == 0 }
        return next.map { max(deviceSeconds, Double($0.timeMicroseconds) * 1e-6) }
    }

    /// Device time of the last change to a non-zero duty, s.
    var lastNonZeroDutyTime: Double? {
        dutyChanges.last { $0.dutyQ15 != 0 }.map { Double($0.timeMicroseconds) * 1e-6 }
    }
}
