import Learning
import Foundation
import MotorModel
import RobotDescription
import Simulation
import Yams

/// `furuta twin --randomize SEED`: the twin's robot drawn the way training draws an episode's
/// (`DomainRandomization.sample`), from the ranges of a training configuration
/// (`--training-config DIR/config.yaml`, only its `environment.randomization` is read) or the
/// defaults. The drawn delay is not used: the twin's link model sets its latency.
enum TwinPhysicsSampling {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The randomisation ranges of a training configuration file (defaults for missing keys).
    static func ranges(trainingConfig path: String?) throws -> DomainRandomization {
        guard let path else { return DomainRandomization() }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Failure(description: "\(path): cannot read the training configuration (does it exist?)")
        }
        guard let root = try Yams.compose(yaml: text), let environment = root["environment"] else {
            return DomainRandomization()
        }
        guard let node = environment["randomization"], node.null == nil else {
            return DomainRandomization.none(delaySteps: 0)
        }
        let subtree = NSTemporaryDirectory() + "furuta-twin-randomization-\(getpid()).yaml"
        try Yams.serialize(node: node).write(toFile: subtree, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: subtree) }
        return try LayeredConfig.load(defaults: DomainRandomization(), file: subtree, overrides: [])
    }

    /// One draw: the description with its physics replaced by the sampled robot.
    static func sample(_ description: RobotDescription, ranges: DomainRandomization, seed: UInt64) -> RobotDescription {
        var rng = Xoshiro256StarStar(seed: seed)
        var sampled = description
        sampled.parameters = ranges.sample(description.parameters, &rng).0
        return sampled
    }

    /// "mass 0.026 kg (pendulum), …": what differs from nominal, for the twin's first lines.
    static func summary(_ sampled: RobotParameters, nominal: RobotParameters) -> String {
        func f(_ x: Double) -> String { String(format: "%.3g", x) }
        return "pendulum mass \(f(sampled.pendulum.massKg)) kg (nominal \(f(nominal.pendulum.massKg))), "
            + "pendulum length \(f(sampled.pendulum.lengthM)) m (\(f(nominal.pendulum.lengthM))), "
            + "coulomb \(f(sampled.motor.friction.coulombNm)) N·m (\(f(nominal.motor.friction.coulombNm))), "
            + "k_t \(f(sampled.motor.torqueConstantNmPerA)) (\(f(nominal.motor.torqueConstantNmPerA))), "
            + "deadzone \(f(sampled.motor.deadzone)) (\(f(nominal.motor.deadzone))), lag \(f(sampled.motor.lagTimeConstantS)) s"
    }
}
