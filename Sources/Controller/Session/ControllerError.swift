import FirmwareLink
import PolicyFormat

/// Why a controller session could not start or could not go on, each saying what to fix.
/// (Faults during a run are not errors: they end the run in a safe stop and are reported in
/// the summary.)
public enum ControllerError: Error, Equatable, CustomStringConvertible {
    /// The policy file is unreadable or invalid.
    case invalidPolicy(path: String, PolicyFileError)
    /// The policy was trained for another robot, rate or encoder resolution; one line per mismatch.
    case policyMismatch(policy: String, robot: String, mismatches: [String])
    /// The robot description could not be loaded.
    case invalidRobot(String)
    /// The device reports encoder resolutions other than robot.yaml's.
    case deviceMismatch(port: String, mismatches: [String])
    /// Opening, handshaking or configuring the device failed.
    case link(LinkError)
    /// `--port auto` found no device (or several).
    case discovery(String)
    /// The device answered the handshake but not the arming (rearm) or configuration.
    case deviceNotArming(port: String, detail: String)
    /// A log or summary file cannot be written.
    case cannotWrite(path: String, reason: String)
    /// Limits or options that cannot work together.
    case invalidSettings(String)
    /// Another controller (or program) has the port.
    case portInUse(port: String, holder: String)
    /// A stop signal arrived before the loop started (discovery, handshake, configuration).
    case interrupted(phase: String, signals: Int)
    /// The link's measured latency lies outside the range the policy was trained for.
    case latencyOutsideTrainedRange(port: String, measured: LinkLatency, trained: TrainedLatency)
    /// The device's clock is behind where it was at the end of the previous run of the same
    /// session: it restarted (power, brownout, reset button) and its encoder zeros with it.
    case deviceRestarted(port: String, lastSeconds: Double, nowSeconds: Double)

    public var description: String {
        switch self {
        case .invalidPolicy(let path, let error):
            return "cannot use policy \(path): \(error)"
        case .policyMismatch(let policy, let robot, let mismatches):
            return "policy \(policy) does not fit robot \(robot):\n"
                + mismatches.map { "  - \($0)" }.joined(separator: "\n")
                + "\nTrain (or export) the policy for this robot description, or pass the description it was trained with (--robot FILE)."
        case .invalidRobot(let detail):
            return "cannot use the robot description: \(detail)"
        case .deviceMismatch(let port, let mismatches):
            return "the device on \(port) does not match the robot description:\n"
                + mismatches.map { "  - \($0)" }.joined(separator: "\n")
                + "\nFlash firmware whose encoder settings match robot.yaml, or fix robot.yaml."
        case .link(let error):
            return error.description
        case .discovery(let detail):
            return detail
        case .deviceNotArming(let port, let detail):
            return "the device on \(port) answered the handshake but not \(detail); check the firmware version."
        case .cannotWrite(let path, let reason):
            return "cannot write \(path): \(reason); check the directory exists and is writable."
        case .invalidSettings(let detail):
            return "invalid settings: \(detail)"
        case .portInUse(let port, let holder):
            return "\(port) is in use by \(holder); stop that controller (or program) first, or pick another port."
        case .interrupted(let phase, _):
            return "stopped by a signal during \(phase); nothing was driven."
        case .latencyOutsideTrainedRange(let port, let measured, let trained):
            return "the link to \(port) has a latency of \(LinkLatency.ms(measured.medianSeconds)) ms (\(measured.description)), "
                + "outside the \(LinkLatency.ms(trained.minimumSeconds))–\(LinkLatency.ms(trained.maximumSeconds)) ms the policy was trained for; "
                + "nothing was armed. Use a faster link (USB CDC, a lower USB-serial latency timer, a less loaded host), "
                + "or retrain with the simulator's delay randomisation (environment.randomization.delaySteps) covering it."
        case .deviceRestarted(let port, let last, let now):
            return "the device on \(port) restarted since the last episode (its clock went back from \(String(format: "%.1f", last)) s "
                + "to \(String(format: "%.1f", now)) s): its encoders now count from wherever the arm and the pendulum stood, so "
                + "neither zero can be trusted; the motor was not driven. Power the device off, move the arm by hand to the "
                + "centre of its travel, let the pendulum hang still, power it on, and start the session again (it resumes)."
        }
    }
}
