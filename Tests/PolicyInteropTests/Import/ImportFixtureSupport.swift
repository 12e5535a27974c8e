import PolicyFormat
import PolicyInterop
import XCTest

/// The robot the fixtures are imported for (any identity: the checkpoints do not know ours).
enum ImportFixtures {
    static func target(history: Int = 0, features: [ObservationFeature] = ObservationFeature.standard) -> ImportTarget {
        ImportTarget(robotIdentity: 0xFEED_F00D_0000_0017, robotName: "fixture-robot", controlRateHz: 100,
                     layout: ObservationLayout(features: features, historyLength: history, armCountsPerRevolution: 4096,
                                               pendulumCountsPerRevolution: 8192))
    }

    /// Max |ours − library| over the fixture's observations; `transform` maps the library's action
    /// when the imported policy documents a further step (rsl_rl's clamp to the command range).
    static func maxDifference(_ policy: PolicyFile, fixture name: String,
                              transform: (Float) -> Float = { $0 }) throws -> Float {
        let observations = try TestSupport.csv("\(name).observations.csv")
        let expected = try TestSupport.csv("\(name).actions.csv")
        XCTAssertEqual(observations.count, expected.count)
        XCTAssertGreaterThanOrEqual(observations.count, 200)
        let frozen = try FrozenPolicy(policy)
        var worst: Float = 0
        for (x, a) in zip(observations, expected) {
            let ours = frozen.action(for: x)
            XCTAssertEqual(ours.count, a.count)
            for (o, e) in zip(ours, a) { worst = max(worst, abs(o - transform(e))) }
        }
        return worst
    }
}
