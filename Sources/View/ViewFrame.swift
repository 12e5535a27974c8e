import Foundation

/// One instant of the pendulum as the page draws it: angles in rad (α = π upright), velocities
/// in rad/s, duty in [−1, 1], time in s since the source started.
public struct ViewFrame: Sendable, Equatable {
    public var timeS: Double
    public var armAngleRad: Double
    public var pendulumAngleRad: Double
    public var armVelocityRadPerS: Double
    public var pendulumVelocityRadPerS: Double
    public var duty: Double
    /// What is moving it: "policy", "keyboard", "replay", or the controller's phase.
    public var mode: String

    public init(timeS: Double, armAngleRad: Double, pendulumAngleRad: Double, armVelocityRadPerS: Double = 0,
                pendulumVelocityRadPerS: Double = 0, duty: Double, mode: String) {
        self.timeS = timeS
        self.armAngleRad = armAngleRad
        self.pendulumAngleRad = pendulumAngleRad
        self.armVelocityRadPerS = armVelocityRadPerS
        self.pendulumVelocityRadPerS = pendulumVelocityRadPerS
        self.duty = duty
        self.mode = mode
    }

    /// The WebSocket message: {"t":…, "arm":…, "pendulum":…, "arm_velocity":…, "pendulum_velocity":…, "duty":…, "mode":"…"}.
    public func json() -> String {
        func n(_ x: Double) -> String { x.isFinite ? String(format: "%.5g", x) : "null" }
        let mode = mode.replacingOccurrences(of: "\\", with: "").replacingOccurrences(of: "\"", with: "")
        return "{\"t\":\(n(timeS)),\"arm\":\(n(armAngleRad)),\"pendulum\":\(n(pendulumAngleRad)),"
            + "\"arm_velocity\":\(n(armVelocityRadPerS)),\"pendulum_velocity\":\(n(pendulumVelocityRadPerS)),"
            + "\"duty\":\(n(duty)),\"mode\":\"\(mode)\"}"
    }

    /// The inverse of `json()` (a twin's datagram, `TwinViewPublisher`); nil for anything else.
    /// `null` numbers read as NaN.
    public init?(json text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let mode = object["mode"] as? String else { return nil }
        func n(_ key: String) -> Double? {
            if object[key] is NSNull { return .nan }
            return (object[key] as? NSNumber)?.doubleValue
        }
        guard let t = n("t"), let arm = n("arm"), let pendulum = n("pendulum"), let duty = n("duty") else { return nil }
        self.init(timeS: t, armAngleRad: arm, pendulumAngleRad: pendulum, armVelocityRadPerS: n("arm_velocity") ?? .nan,
                  pendulumVelocityRadPerS: n("pendulum_velocity") ?? .nan, duty: duty, mode: mode)
    }
}
