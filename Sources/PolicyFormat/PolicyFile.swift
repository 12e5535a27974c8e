/// Everything a deployed policy is: who it was trained for, at what rate, what it observes,
/// how it normalises, the network and how its output becomes an action. The in-memory form of a
/// `.policy` file (byte layout: docs/policy-format.md); `encoded()` writes one,
/// `init(decoding:)` reads and validates one.
public struct PolicyFile: Sendable, Equatable {
    /// The version this code writes. It also reads version 1 (no trained latency, no provenance).
    public static let currentVersion: UInt16 = 2
    /// Every version this code reads.
    public static let readableVersions: ClosedRange<UInt16> = 1...2

    /// `RobotParameters.identity` of the robot the policy was trained for.
    public var robotIdentity: UInt64
    /// The robot's name (informational; the identity is what is checked).
    public var robotName: String
    /// Control rate the policy was trained at, Hz.
    public var controlRateHz: Double
    /// How observations are built.
    public var observationLayout: ObservationLayout
    /// Frozen observation normaliser (size = observationLayout.size).
    public var normalization: ObservationNormalization
    /// The network, input first. The first layer takes observationLayout.size inputs, the last
    /// gives observationLayout.actionCount outputs.
    public var layers: [DenseLayer]
    /// Raw network output → action.
    public var actionScaling: ActionScaling
    /// Free text: how the policy was trained (config, seed, steps). Not interpreted.
    public var notes: String
    /// The latency range the policy was trained for; nil for files that do not say (version 1).
    public var trainedLatency: TrainedLatency?
    /// How it was trained (algorithm, config hash, seed, steps, trainer commit).
    public var provenance: PolicyProvenance

    public init(robotIdentity: UInt64, robotName: String, controlRateHz: Double,
                observationLayout: ObservationLayout, normalization: ObservationNormalization,
                layers: [DenseLayer], actionScaling: ActionScaling, notes: String = "",
                trainedLatency: TrainedLatency? = nil, provenance: PolicyProvenance = PolicyProvenance()) {
        self.robotIdentity = robotIdentity
        self.robotName = robotName
        self.controlRateHz = controlRateHz
        self.observationLayout = observationLayout
        self.normalization = normalization
        self.layers = layers
        self.actionScaling = actionScaling
        self.notes = notes
        self.trainedLatency = trainedLatency
        self.provenance = provenance
    }

    /// Hidden widths, e.g. [64, 64].
    public var hiddenWidths: [Int] { layers.dropLast().map(\.outputCount) }

    /// Check shapes and values; throws the first problem found. `encoded()` and
    /// `init(decoding:)` both call it, so no invalid file is written or accepted.
    public func validate() throws(PolicyFileError) {
        let layout = observationLayout
        if let problem = layout.problems.first { throw .invalidValue("observation layout: \(problem)") }
        if let problem = trainedLatency?.problem { throw .invalidValue(problem) }
        guard controlRateHz.isFinite, controlRateHz > 0 else {
            throw .invalidValue("control rate \(controlRateHz) Hz is not a positive number")
        }
        guard normalization.size == layout.size else {
            throw .shapeMismatch("normaliser has \(normalization.size) components but the observation layout has \(layout.size); export the normaliser the policy was trained with")
        }
        guard !layers.isEmpty else { throw .shapeMismatch("the network has no layers") }
        var width = layout.size
        for (index, layer) in layers.enumerated() {
            guard layer.inputCount == width else {
                throw .shapeMismatch("layer \(index) takes \(layer.inputCount) inputs but receives \(width)")
            }
            guard layer.outputCount > 0 else { throw .shapeMismatch("layer \(index) has no outputs") }
            guard layer.weights.count == layer.inputCount * layer.outputCount else {
                throw .shapeMismatch("layer \(index) has \(layer.weights.count) weights, expected \(layer.inputCount)×\(layer.outputCount)")
            }
            guard layer.biases.count == layer.outputCount else {
                throw .shapeMismatch("layer \(index) has \(layer.biases.count) biases, expected \(layer.outputCount)")
            }
            if let i = layer.weights.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite("layer \(index) weight \(i) (input \(i / layer.outputCount), output \(i % layer.outputCount)) is \(layer.weights[i])")
            }
            if let o = layer.biases.firstIndex(where: { !$0.isFinite }) {
                throw .nonFinite("layer \(index) bias \(o) is \(layer.biases[o])")
            }
            width = layer.outputCount
        }
        guard width == layout.actionCount else {
            throw .shapeMismatch("the network gives \(width) outputs but the layout has \(layout.actionCount) actions")
        }
        guard actionScaling.count == layout.actionCount else {
            throw .shapeMismatch("action scaling has \(actionScaling.count) components but the layout has \(layout.actionCount) actions")
        }
        try Self.requireFinite(normalization.mean, "normaliser mean")
        try Self.requireFinite(normalization.variance, "normaliser variance")
        try Self.requireFinite(actionScaling.scale, "action scale")
        try Self.requireFinite(actionScaling.offset, "action offset")
        guard normalization.epsilon.isFinite, normalization.epsilon >= 0 else {
            throw .nonFinite("normaliser epsilon is \(normalization.epsilon)")
        }
        guard !normalization.clip.isNaN, normalization.clip > 0 else {
            throw .invalidValue("normaliser clip \(normalization.clip) must be positive (infinity for none)")
        }
        if let i = normalization.variance.indices.first(where: { !(normalization.variance[$0] + normalization.epsilon > 0) }) {
            throw .invalidValue("normaliser variance \(i) is \(normalization.variance[i]) with epsilon \(normalization.epsilon): variance + epsilon must be positive")
        }
    }

    private static func requireFinite(_ values: [Float], _ what: String) throws(PolicyFileError) {
        if let i = values.firstIndex(where: { !$0.isFinite }) { throw .nonFinite("\(what) \(i) is \(values[i])") }
    }
}
