import MotorModel

/// The controller's view of the shared envelope (`StoppingEnvelope`, MotorModel): built from
/// `SafetyLimits`, and its decisions as `SafetyFlag` bits for the tick record.
extension StoppingEnvelope {
    public init(limits: SafetyLimits, periodSeconds: Double) {
        self.init(limits: limits.envelope, periodSeconds: periodSeconds)
    }

    /// `decide(duty:)` with `SafetyFlag.braking` / `.outwardBlocked` when the envelope acted.
    public func filter(duty: Double) -> (duty: Double, flags: UInt8) {
        let (out, action) = decide(duty: duty)
        switch action {
        case .none: return (out, 0)
        case .braking: return (out, SafetyFlag.braking)
        case .outwardBlocked: return (out, SafetyFlag.outwardBlocked)
        }
    }
}
