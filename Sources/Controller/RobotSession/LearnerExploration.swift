import Foundation

/// The exploration the learner hands over with a candidate (DIR/candidates/candidate-N.exploration.json,
/// written by `furuta learn` next to the policy, or arriving with it over the link):
///
///     {"sigma": 0.21, "correlation": 0.95, "bound": 0.5, "source": "…"}
///
/// The controller applies it from the episode the candidate first runs, each field clamped to
/// the controller's own maxima (`--exploration-sigma`, `--exploration-correlation`, and the
/// bound 0.5): a learner can ask for less exploration than the controller allows, never more.
/// A candidate without the file (or with one that does not decode) runs with the controller's
/// own settings.
extension ExplorationNoiseSequence {
    /// This request within `maxima`, every field in [0, its maximum].
    public func limited(by maxima: ExplorationNoiseSequence) -> ExplorationNoiseSequence {
        func clamp(_ value: Double, _ maximum: Double) -> Double { value.isFinite ? min(max(value, 0), maximum) : maximum }
        return ExplorationNoiseSequence(sigma: clamp(sigma, maxima.sigma), correlation: clamp(correlation, maxima.correlation),
                                        bound: clamp(bound, maxima.bound))
    }

    /// The request in `path`, nil when there is none or it is not one.
    public static func request(at path: String) -> ExplorationNoiseSequence? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(ExplorationNoiseSequence.self, from: data)
    }
}
