/// The standard-normal ε each env's action noise uses, step by step: i.i.d. draws (white) or
/// one coloured sequence per env and action component, redrawn when its episode ends or the
/// sequence runs out.
struct ExplorationState {
    let environments: Int
    let actionSize: Int
    let kind: ExplorationNoise
    let length: Int
    private var generator: ColoredNoise
    /// environments × actionSize sequences of `length` values.
    private(set) var sequences: [Float]
    /// Next index into each env's sequences.
    private(set) var positions: [Int]

    init(environments: Int, actionSize: Int, config: SACConfig) {
        self.environments = environments
        self.actionSize = actionSize
        kind = config.exploration
        length = kind == .pink ? config.noiseSequenceLength : 1
        generator = ColoredNoise(length: max(length, 2), exponent: config.noiseExponent)
        sequences = Array(repeating: 0, count: kind == .pink ? environments * actionSize * length : 0)
        positions = Array(repeating: 0, count: environments)
    }

    /// ε for env `e`, component `j`, at the current step.
    mutating func next(environment e: Int, component j: Int, rng: inout Xoshiro256StarStar) -> Float {
        switch kind {
        case .white: return Float(rng.nextGaussian())
        case .pink: return sequences[(e * actionSize + j) * length + positions[e]]
        }
    }

    /// Move env `e` to its next step (redraw at the end of the sequence).
    mutating func advance(environment e: Int, rng: inout Xoshiro256StarStar) {
        guard kind == .pink else { return }
        positions[e] += 1
        if positions[e] == length { redraw(environment: e, rng: &rng) }
    }

    /// A fresh sequence for env `e` (its episode ended).
    mutating func redraw(environment e: Int, rng: inout Xoshiro256StarStar) {
        guard kind == .pink else { return }
        positions[e] = 0
        for j in 0..<actionSize {
            let start = (e * actionSize + j) * length
            sequences.withUnsafeMutableBufferPointer { s in generator.draw(into: s.baseAddress! + start, rng: &rng) }
        }
    }

    mutating func redrawAll(rng: inout Xoshiro256StarStar) {
        for e in 0..<environments { redraw(environment: e, rng: &rng) }
    }

    /// For checkpoints.
    struct Snapshot: Sendable, Codable, Equatable {
        var sequences: [Float]
        var positions: [Int]
    }

    var snapshot: Snapshot { Snapshot(sequences: sequences, positions: positions) }

    mutating func restore(_ s: Snapshot) throws(TrainerStateMismatch) {
        guard s.sequences.count == sequences.count, s.positions.count == positions.count else {
            throw TrainerStateMismatch(description: "the checkpoint's exploration noise does not fit this configuration")
        }
        sequences = s.sequences
        positions = s.positions
    }
}
