import MotorModel

/// Everything `furuta-controller capture` decides before starting, as one value.
public struct CaptureConfiguration: Sendable {
    public var port: PortSelection
    public var excitation: ExcitationSettings
    /// Excitation time after homing, s.
    public var durationSeconds: Double
    /// The recording to write.
    public var outputPath: String
    /// The same limits as `run`; the prediction must keep |θ| within the soft limit minus the
    /// hysteresis.
    public var limits: SafetyLimits
    public var homing = HomingSettings()
    public var realtime = RealtimeOptions()
    public var handshakeTimeout: Duration = .seconds(2)
    public var handleSignals = true
    public var baud: Int? = 921_600
    /// Free `key: value` facts for the recording's header (the robot file, the command line).
    public var metadata: [(String, String)] = []

    public init(port: PortSelection, excitation: ExcitationSettings, durationSeconds: Double, outputPath: String,
                robot: RobotParameters) {
        self.port = port
        self.excitation = excitation
        self.durationSeconds = durationSeconds
        self.outputPath = outputPath
        limits = SafetyLimits(robot: robot)
    }

    /// The largest |θ| an excitation may be predicted to reach, rad: θ_lim − h, where the
    /// safety layer would start blocking outward duty on the way back in.
    public var allowedArmAngleRad: Double { limits.armSoftLimitRad - limits.armHysteresisRad }
}
