import ArgumentParser

/// `--physics KEY=VALUE` (repeatable) of `twin`, `eval` and `bench session`: robot.yaml values of
/// the simulated robot, as the overrides `loadRobot(_:overrides:)` takes. One parser, so every
/// command accepts and refuses the same items with the same message.
enum PhysicsOverrides {
    /// Each item split at its first "=" into key and value; a later item wins over an earlier one.
    static func parse(_ items: [String]) throws -> [String: String] {
        var overrides: [String: String] = [:]
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--physics \(item): takes KEY=VALUE with robot.yaml keys, e.g. --physics pendulum.mass_kg=0.053")
            }
            overrides[parts[0]] = parts[1]
        }
        return overrides
    }
}
