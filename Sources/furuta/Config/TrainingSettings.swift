import ArgumentParser
import Simulation
import Trainer

extension AlgorithmName: ExpressibleByArgument {}
extension PhysicsBackendName: ExpressibleByArgument {}

/// `furuta train`'s configuration layers, with the algorithm's own defaults underneath: the
/// algorithm is read first (from `--algorithm`, the file or an `algorithm=` override, later
/// ones winning), then everything is loaded again over `TrainingConfig.defaults(for:)`, so
/// `--algorithm sac` starts from one env rather than PPO's 128.
enum TrainingSettings {
    static func load(algorithm: AlgorithmName?, file: String?, overrides: [String]) throws -> TrainingConfig {
        let layered = (algorithm.map { ["algorithm=\($0.rawValue)"] } ?? []) + overrides
        let first = try LayeredConfig.load(defaults: TrainingConfig(), file: file, overrides: layered)
        return try LayeredConfig.load(defaults: TrainingConfig.defaults(for: first.algorithm), file: file, overrides: layered)
    }
}
