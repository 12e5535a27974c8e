import FirmwareLink
import MotorModel
import PolicyFormat

/// Everything `furuta-controller run` decides before starting, as one value.
public struct SessionConfiguration: Sendable {
    public var policyPath: String
    public var port: PortSelection
    /// Policy run time after homing, s (nil: until stopped).
    public var durationSeconds: Double?
    public var logPath: String?
    public var summaryPath: String?
    /// Resume after the device comes back (re-plug, reset): new handshake, homing, policy.
    public var reconnect = false
    /// How long to wait for the device to come back, s.
    public var reconnectTimeoutSeconds = 30.0
    public var realtime = RealtimeOptions()
    public var limits: SafetyLimits
    public var homing = HomingSettings()
    public var handshakeTimeout: Duration = .seconds(2)
    /// Pings measuring the link's round trip at connect time (see `LinkLatency`, `LinkTiming`).
    public var latencyPings = 32
    /// Install SIGINT/SIGTERM handlers (the CLI); tests running in-process use `ExternalStops`.
    public var handleSignals = true
    /// Serial speed for UART bridges (nil: leave as is; USB CDC and ptys ignore it).
    public var baud: Int? = 921_600
    /// A progress line (`RunProgress`, from the drain thread) through `report` every this many
    /// seconds of loop time, and one a second while `--port auto` waits for the board; nil: none.
    public var progressEverySeconds: Double?
    /// Exploration added to the policy's raw action (training sessions; see `PolicyRunner`).
    public var explorationNoise: [Double] = []
    /// Each batch of the log's CSV rows, from the drain thread (training sessions stream them to
    /// the learner; see `TelemetryDrain.batchSink`). Needs `logPath`.
    public var telemetrySink: (@Sendable (String) -> Void)?
    /// The device's clock when an earlier run of the same session last heard from it, µs: a
    /// device whose clock is behind it at arming restarted in between, and the run refuses it
    /// (`ControllerError.deviceRestarted`) before homing moves anything. Nil: not checked.
    public var deviceClockFloorMicroseconds: UInt64?

    public init(policyPath: String, port: PortSelection, robot: RobotParameters) {
        self.policyPath = policyPath
        self.port = port
        limits = SafetyLimits(robot: robot)
    }

    /// The firmware watchdog: 5 periods, clamped to 20…200 ms. Shorter than the host's stale
    /// limit would trip on a single late period; much longer lets a dead host drive the motor.
    public func watchdogMilliseconds(periodSeconds: Double) -> UInt16 {
        Self.watchdogMilliseconds(periodSeconds: periodSeconds)
    }

    /// The same for any loop on the device (`run`, `capture`).
    public static func watchdogMilliseconds(periodSeconds: Double) -> UInt16 {
        UInt16(min(max((5 * periodSeconds * 1000).rounded(.up), 20), 200))
    }
}
