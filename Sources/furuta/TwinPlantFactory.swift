import Twin

/// Placeholder until the MuJoCo-backed plant lands; that change replaces this file.
/// - Parameters:
///   - robotPath: robot.yaml to simulate; nil for the default robot.
///   - physicsOverrides: named physical parameters to override (e.g. "arm_damping": 0.01).
func makeTwinPlant(robotPath: String?, physicsOverrides: [String: Double]) throws -> any TwinPlant {
    throw TwinPlantUnavailable()
}

struct TwinPlantUnavailable: Error, CustomStringConvertible {
    var description: String {
        "the simulated plant for the twin is not yet available in this build (it comes with the MuJoCo twin change)."
    }
}
