import Foundation
import PolicyFormat

/// An rsl_rl checkpoint (`OnPolicyRunner.save`, a `torch.save` of a dict) with an MLP actor →
/// `.policy`, without PyTorch. Two layouts are read:
///
///     rsl_rl ≥ 4 (rsl-rl-lib 5.x):  actor_state_dict: mlp.{0,2,…}.weight/bias,
///                                   obs_normalizer._mean/_var/_std/count (when normalising)
///     rsl_rl ≤ 3:                   model_state_dict: actor.{0,2,…}.weight/bias;
///                                   obs_norm_state_dict: _mean/_var/_std/count
///
/// The deterministic action is the MLP's output μ (a Gaussian's mean). rsl_rl's
/// `EmpiricalNormalization` computes (x − mean)/(std + eps) with eps = 0.01 (not stored; its
/// default), which is the format's normaliser with variance (std + eps)², ε = 0 and no clip.
/// The checkpoint does not record the activation: it is declared (rsl_rl's default is elu).
/// The action is clamped to ±`actionLimit` (a = L·clamp(μ/L, −1, 1)), the robot's command range
/// for L = 1.
public enum RslRlImport {
    public static let normalizerEpsilon = 0.01

    public static func policy(checkpoint bytes: [UInt8], label: String, activation: String, actionLimit: Double = 1,
                              target: ImportTarget) throws(PolicyImportError) -> PolicyFile {
        let checkpoint = try TorchCheckpoint(bytes: bytes, label: label)
        let root = checkpoint.root
        guard root.stringKeyedEntries != nil else {
            throw .malformed("\(label) holds \(root.typeName ?? "a plain value"), not an rsl_rl checkpoint dictionary")
        }
        let actor: [(key: String, tensor: Tensor)]
        let layerPrefix: String
        var normalizerState: [(key: String, tensor: Tensor)] = []
        var normalizerPrefix = ""
        if let value = root["actor_state_dict"] {
            actor = try checkpoint.stateDict(value, what: "actor_state_dict")
            layerPrefix = "mlp."
            normalizerState = actor
            normalizerPrefix = "obs_normalizer."
        } else if let value = root["model_state_dict"] {
            actor = try checkpoint.stateDict(value, what: "model_state_dict").filter { $0.key.hasPrefix("actor.") || $0.key.hasPrefix("memory_a.") || $0.key.hasPrefix("std") || $0.key.hasPrefix("log_std") }
            layerPrefix = "actor."
            if let norm = root["obs_norm_state_dict"] { normalizerState = try checkpoint.stateDict(norm, what: "obs_norm_state_dict") }
        } else {
            throw .malformed("\(label) has neither actor_state_dict (rsl_rl ≥ 4) nor model_state_dict (rsl_rl ≤ 3); pass a checkpoint OnPolicyRunner.save() wrote")
        }
        let keys = actor.map(\.key)
        if let k = keys.first(where: { $0.hasPrefix("rnn.") || $0.hasPrefix("memory_a.") || $0.contains("lstm") || $0.contains("gru") }) {
            throw .unsupported("\(label) has a recurrent actor ('\(k)', an RNN/LSTM/GRU model); only MLP actors can be imported")
        }
        if let k = keys.first(where: { $0.hasPrefix("cnn") || $0.contains(".cnn") || $0.contains("conv") }) {
            throw .unsupported("\(label) has a CNN actor ('\(k)'); only MLP actors can be imported")
        }
        let hidden = try formatActivation(activation, source: "the declared activation (--activation)")
        let linears = try sequentialLinears(actor.filter { $0.key.hasPrefix(layerPrefix) }, prefix: layerPrefix, source: label)
        guard !linears.isEmpty else { throw .malformed("\(label): the actor has no Linear layers under '\(layerPrefix)'") }
        var layers = try denseLayers(linears, hidden: hidden, source: label)
        let outputs = layers.last!.outputCount
        if outputs == 2 * target.layout.actionCount {
            throw .unsupported("\(label): the actor gives \(outputs) outputs for \(target.layout.actionCount) action(s), a state-dependent (heteroscedastic Gaussian or Beta) distribution; only a Gaussian with state-independent std is imported")
        }
        try target.check(networkInputs: layers[0].inputCount, networkOutputs: outputs, source: label)
        guard actionLimit.isFinite, actionLimit > 0 else { throw .badArgument("--action-limit must be a positive number") }
        let scaling = foldClipRange(into: &layers, low: Array(repeating: -actionLimit, count: outputs),
                                    high: Array(repeating: actionLimit, count: outputs))

        let normalization: ObservationNormalization
        if let mean = normalizerState.first(where: { $0.key == normalizerPrefix + "_mean" })?.tensor,
           let std = normalizerState.first(where: { $0.key == normalizerPrefix + "_std" })?.tensor {
            guard mean.count == target.layout.size, std.count == target.layout.size else {
                throw .mismatch("\(label): the observation normaliser has \(mean.count) components but the layout has \(target.layout.size)")
            }
            // (x − mean)/(std + eps) = (x − mean)/√((std + eps)² + 0).
            normalization = ObservationNormalization(mean: mean.floats,
                                                     variance: std.values.map { Float(($0 + normalizerEpsilon) * ($0 + normalizerEpsilon)) },
                                                     epsilon: 0, clip: .infinity)
        } else {
            normalization = .identity(size: target.layout.size)
        }

        var provenance = PolicyProvenance(algorithm: "ppo", createdAt: PolicyImportProvenance.now())
        provenance.other["imported_from"] = "rsl_rl"
        provenance.other["source"] = (label as NSString).lastPathComponent
        if let iterations = root["iter"]?.int { provenance.other["iterations"] = String(iterations) }
        provenance.other["declared_activation"] = hidden.name

        let file = PolicyFile(robotIdentity: target.robotIdentity, robotName: target.robotName, controlRateHz: target.controlRateHz,
                              observationLayout: target.layout, normalization: normalization, layers: layers,
                              actionScaling: scaling, notes: "imported from rsl_rl \((label as NSString).lastPathComponent)",
                              trainedLatency: target.trainedLatency, provenance: provenance)
        do { try file.validate() } catch { throw .malformed("\(label): the imported policy is invalid: \(error)") }
        return file
    }
}
