/// Why a capture could not start, each saying what to change. Nothing has moved when one of
/// these is thrown (faults during the capture end it in a safe stop, like `run`).
public enum CaptureError: Error, Equatable, CustomStringConvertible {
    /// The excitation's predicted arm excursion crosses the soft limits.
    case wouldCrossSoftLimits(excitation: String, amplitude: Double, predictedRad: Double, atSeconds: Double,
                              allowedRad: Double, largestSafeAmplitude: Double)
    case invalidSettings(String)
    case controller(ControllerError)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case let .wouldCrossSoftLimits(excitation, amplitude, predicted, at, allowed, safe):
            return "refused before moving: the \(excitation) excitation at amplitude \(format(amplitude)) would take the arm to "
                + "|θ| = \(format(predicted)) rad (at \(format(at)) s, predicted with robot.yaml's motor and arm), beyond "
                + "\(format(allowed)) rad (soft limit minus hysteresis); "
                + (safe > 0 ? "use --amplitude \(format(safe)) or less" : "this excitation cannot run inside the limits")
        case .invalidSettings(let detail): return "invalid settings: \(detail)"
        case .controller(let error): return error.description
        case .cannotWrite(let detail): return detail
        }
    }

    private func format(_ x: Double) -> String { String(Double((x * 1000).rounded()) / 1000) }
}
