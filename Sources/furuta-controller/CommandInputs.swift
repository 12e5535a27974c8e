import Controller
import RobotDescription

/// What several controller commands read from their flags the same way.
enum CommandInputs {
    /// The robot file (`--robot`, else the bundled one) and its description; a bad file is the
    /// controller's typed `invalidRobot` error.
    static func robot(_ path: String?) throws -> (path: String, description: RobotDescription) {
        let robotPath = path ?? RobotDescription.defaultPath
        do {
            return (robotPath, try RobotDescription.load(from: robotPath))
        } catch {
            throw ControllerFailure(ControllerError.invalidRobot(error.description))
        }
    }

    /// `--port auto` (the first ESP32-like board within `discoveryTimeout` seconds) or a path.
    static func port(_ port: String, discoveryTimeout: Double) -> PortSelection {
        port == "auto"
            ? .automatic(matcher: .esp32Defaults, timeout: .milliseconds(Int64(discoveryTimeout * 1000)))
            : .path(port)
    }

    /// The ranges `--discovery-timeout` and `--handshake-timeout` must lie in (checked before
    /// they become `Duration`s, where NaN or 1e30 would trap).
    static func checkTimeouts(discovery: Double, handshake: Double) throws {
        try NumberRange.above(0, upTo: 3600).check("--discovery-timeout", discovery)
        try NumberRange.above(0, upTo: 600).check("--handshake-timeout", handshake)
    }
}
