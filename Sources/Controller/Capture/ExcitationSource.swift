/// Plugs an `ExcitationSignal` in where the policy runs (`PolicyRunner.actionSource`): time
/// counts from the first running tick's device timestamp.
public final class ExcitationSource: ActionSource {
    public private(set) var signal: ExcitationSignal
    private var startMicroseconds: Int64?

    public init(signal: ExcitationSignal) { self.signal = signal }

    public func action(for runner: PolicyRunner) -> Double {
        let now = runner.lastTimeMicroseconds
        if startMicroseconds == nil { startMicroseconds = now }
        let t = Double(now - startMicroseconds!) * 1e-6
        return signal.action(t: t, armAngle: runner.armAngle, armVelocity: runner.armVelocity,
                             pendulumAngle: runner.pendulumAngle)
    }
}
