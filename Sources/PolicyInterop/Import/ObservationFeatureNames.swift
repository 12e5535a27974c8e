import Foundation
import PolicyFormat

/// Names for observation features on the command line, in `policy show` and in ONNX metadata.
extension ObservationFeature {
    public var interopName: String {
        switch self {
        case .armAngle: return "arm_angle"
        case .armSin: return "arm_sin"
        case .armCos: return "arm_cos"
        case .armVelocity: return "arm_velocity"
        case .pendulumSin: return "pendulum_sin"
        case .pendulumCos: return "pendulum_cos"
        case .pendulumVelocity: return "pendulum_velocity"
        }
    }

    public init?(interopName: String) {
        guard let found = ObservationFeature.allCases.first(where: { $0.interopName == interopName }) else { return nil }
        self = found
    }

    /// Parse "arm_angle,arm_velocity,…"; throws naming the unknown feature and the known ones.
    public static func parseList(_ text: String) throws(PolicyImportError) -> [ObservationFeature] {
        var out: [ObservationFeature] = []
        for raw in text.split(separator: ",") {
            let name = raw.trimmingCharacters(in: .whitespaces)
            guard let feature = ObservationFeature(interopName: name) else {
                throw .badArgument("unknown observation feature '\(name)'; use a comma-separated list of "
                                   + ObservationFeature.allCases.map(\.interopName).joined(separator: ", "))
            }
            out.append(feature)
        }
        guard !out.isEmpty else { throw .badArgument("the observation feature list is empty") }
        return out
    }
}
