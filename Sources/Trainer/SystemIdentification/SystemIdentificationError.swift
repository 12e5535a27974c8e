import RobotRecording

/// Why a fit or validation cannot run, each saying what to type instead.
public enum SystemIdentificationError: Error, CustomStringConvertible {
    case unknownParameter(key: String, suggestion: String)
    case notFittable(key: String, reason: String)
    case duplicateParameter(String)
    case noParameters
    case invalidBounds(item: String)
    case boundsExcludeNominal(key: String, bounds: ClosedRange<Double>, nominal: Double)
    case boundOutsideSchema(key: String, bound: Double, problem: String)
    case recording(RecordingError)
    case otherRobot(file: String, recordingName: String, recordingIdentity: String, robotFile: String, robotName: String, robotIdentity: String)
    case encoderMismatch(file: String, detail: String)
    case tooShort(file: String, seconds: Double)
    case simulation(String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownParameter(key, suggestion):
            return "unknown parameter '\(key)'; did you mean '\(suggestion)'? (fittable: \(FittableParameters.all.map(\.key).joined(separator: ", ")))"
        case let .notFittable(key, reason):
            return "\(key) is a robot.yaml key but is not fitted (\(reason)); leave it out of --params"
        case .duplicateParameter(let key): return "\(key) appears twice in --params"
        case .noParameters: return "--params names no parameter; e.g. --params pendulum.mass_kg,motor.deadzone"
        case .invalidBounds(let item):
            return "cannot read bounds in '\(item)': write KEY=LOW:HIGH with LOW < HIGH, e.g. motor.deadzone=0.02:0.12"
        case let .boundsExcludeNominal(key, bounds, nominal):
            return "bounds [\(bounds.lowerBound), \(bounds.upperBound)] of \(key) exclude its value \(nominal) in the robot description; "
                + "widen them to include it (the fit starts there)"
        case let .boundOutsideSchema(key, bound, problem):
            return "bound \(bound) of \(key) is not a valid robot.yaml value: \(problem)"
        case .recording(let error): return error.description
        case let .otherRobot(file, recordingName, recordingIdentity, robotFile, robotName, robotIdentity):
            return "recording \(file) was captured with robot '\(recordingName)' (identity \(recordingIdentity)), "
                + "not with \(robotFile) ('\(robotName)', identity \(robotIdentity)); pass --robot with the description used "
                + "at capture (or one `furuta sysid fit` tuned from it)"
        case let .encoderMismatch(file, detail): return "recording \(file) does not fit the robot: \(detail)"
        case let .tooShort(file, seconds):
            return "recording \(file) holds only \(seconds) s of samples; capture at least 1 s"
        case .simulation(let detail): return "simulation failed: \(detail)"
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        }
    }
}
