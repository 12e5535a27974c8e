import MotorModel
import PolicyFormat
import RandomNumbers

/// A policy with the trained policies' shape (standard features, history 4, 2 × 64 tanh) and
/// small pseudo-random weights (SplitMix64, fixed seed), for benchmarking inference cost when no
/// trained policy is at hand. Its actions are meaningless; its arithmetic is the real one.
public enum SyntheticPolicy {
    public static func make(robot: RobotParameters, hidden: [Int] = [64, 64], seed: UInt64 = 0x5EED) -> PolicyFile {
        let layout = ObservationLayout(historyLength: 4, armCountsPerRevolution: robot.arm.encoderCountsPerRevolution,
                                       pendulumCountsPerRevolution: robot.pendulum.encoderCountsPerRevolution)
        var random = SplitMix64(seed: seed)
        // Uniform in [−0.5, 0.5) from the top 24 bits.
        func next() -> Float { Float(random.next() >> 40) / Float(1 << 24) - 0.5 }
        var layers: [DenseLayer] = []
        var width = layout.size
        for (index, out) in (hidden + [1]).enumerated() {
            let scale = 2 / Float(width).squareRoot()
            layers.append(DenseLayer(inputCount: width, outputCount: out,
                                     activation: index == hidden.count ? .identity : .tanh,
                                     weights: (0..<(width * out)).map { _ in next() * scale },
                                     biases: (0..<out).map { _ in next() * 0.1 }))
            width = out
        }
        return PolicyFile(robotIdentity: robot.identity, robotName: robot.name, controlRateHz: robot.control.rateHz,
                          observationLayout: layout,
                          normalization: ObservationNormalization(mean: Array(repeating: 0, count: layout.size),
                                                                  variance: Array(repeating: 1, count: layout.size)),
                          layers: layers, actionScaling: ActionScaling(scale: [1], offset: [0]),
                          notes: "synthetic benchmark policy, seed \(seed)")
    }
}
