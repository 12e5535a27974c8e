import Foundation
import PolicyFormat

/// A Stable-Baselines3 `model.save()` archive → `.policy`, without PyTorch.
///
/// The archive (zip) holds `data` (JSON: spaces, policy_kwargs, num_timesteps, seed) and
/// `policy.pth` (a `torch.save` of the policy's state dict). Supported, on a flat `Box`
/// observation and a `Box` action space:
///
///     PPO / A2C MlpPolicy:  μ = action_net(mlp_extractor.policy_net(x));  a = clip(μ, low, high)
///                           (tanh(μ) then rescaled when squash_output, i.e. gSDE with squashing)
///     SAC MlpPolicy:        μ = actor.mu(actor.latent_pi(x));  a = low + (tanh μ + 1)(high − low)/2
///
/// which are `model.predict(obs, deterministic=True)`. With `VecNormalize` statistics (the
/// `.pkl` that `VecNormalize.save` writes) the observation is first normalised as
/// `clip((x − mean)/√(var + ε), ±clip_obs)`. Hidden activations come from policy_kwargs'
/// `activation_fn` (default Tanh for PPO/A2C, ReLU for SAC).
public enum StableBaselines3Import {
    public static func policy(archive bytes: [UInt8], label: String, vecNormalize: [UInt8]?, vecNormalizeLabel: String = "VecNormalize",
                              target: ImportTarget) throws(PolicyImportError) -> PolicyFile {
        let archive = try ZipArchive(bytes: bytes, label: label)
        guard archive.entry(named: "data") != nil, archive.entry(named: "policy.pth") != nil else {
            throw .malformed("\(label) is a zip archive but not a Stable-Baselines3 model (it lacks 'data' or 'policy.pth'); pass the file model.save() wrote")
        }
        let data = try json(try archive.contents(of: "data"), label: label)
        let checkpoint = try TorchCheckpoint(bytes: try archive.contents(of: "policy.pth"), label: "\(label):policy.pth")
        let state = try checkpoint.stateDict(checkpoint.root, what: "the policy's state dict")
        let keys = state.map(\.key)

        try refuseUnsupported(keys: keys, data: data, label: label)
        let kwargs = data["policy_kwargs"] as? [String: Any] ?? [:]
        let algorithm: String
        var linears: [LinearLayer]
        var squashTanh: Bool
        let defaultActivation: String
        if let mu = state.first(where: { $0.key == "actor.mu.weight" }), let muBias = state.first(where: { $0.key == "actor.mu.bias" }) {
            algorithm = "sac"
            linears = try sequentialLinears(state, prefix: "actor.latent_pi.", source: label)
            linears.append(try linear(weight: mu.tensor, bias: muBias.tensor, name: "actor.mu", source: label))
            squashTanh = true
            defaultActivation = "ReLU"
        } else if let head = state.first(where: { $0.key == "action_net.weight" }), let headBias = state.first(where: { $0.key == "action_net.bias" }) {
            algorithm = "ppo"
            linears = try sequentialLinears(state, prefix: "mlp_extractor.policy_net.", source: label)
            linears.append(try linear(weight: head.tensor, bias: headBias.tensor, name: "action_net", source: label))
            squashTanh = (kwargs["squash_output"] as? Bool) == true
            defaultActivation = "Tanh"
        } else {
            throw .unsupported("\(label): no PPO/A2C (action_net) or SAC (actor.mu) actor among its parameters (\(keys.prefix(6).joined(separator: ", "))…); only those MlpPolicy actors are imported")
        }

        let activationName = activationClass(kwargs["activation_fn"]) ?? defaultActivation
        let hidden = try formatActivation(activationName, source: "\(label) (policy_kwargs.activation_fn)")
        var layers = try denseLayers(linears, hidden: hidden, source: label)

        // Spaces.
        let observationShape = try boxShape(data["observation_space"], what: "observation", label: label)
        guard observationShape.count == 1 else {
            throw .unsupported("\(label): observations of shape \(observationShape); only flat (1-D) Box observations are imported")
        }
        guard observationShape[0] == layers[0].inputCount else {
            throw .malformed("\(label): the observation space has \(observationShape[0]) components but the network takes \(layers[0].inputCount)")
        }
        try target.check(networkInputs: layers[0].inputCount, networkOutputs: layers.last!.outputCount, source: label)
        let (low, high) = try actionBounds(data["action_space"], label: label)
        guard low.count == layers.last!.outputCount else {
            throw .malformed("\(label): the action space has \(low.count) components but the network gives \(layers.last!.outputCount)")
        }
        guard low.allSatisfy(\.isFinite), high.allSatisfy(\.isFinite), zip(low, high).allSatisfy({ $0 < $1 }) else {
            throw .unsupported("\(label): action bounds \(low)…\(high) are not finite and ordered; the robot's command needs a bounded Box")
        }
        let scaling: ActionScaling
        if squashTanh {
            // a = low + (tanh μ + 1)(high − low)/2 = offset + scale · tanh μ.
            scaling = ActionScaling(squash: .tanh, scale: zip(low, high).map { Float(($1 - $0) / 2) },
                                    offset: zip(low, high).map { Float(($0 + $1) / 2) })
        } else {
            scaling = foldClipRange(into: &layers, low: low, high: high)
        }

        let normalization: ObservationNormalization
        if let vecNormalize {
            normalization = try VecNormalizeStatistics.read(vecNormalize, label: vecNormalizeLabel, size: target.layout.size)
        } else {
            normalization = .identity(size: target.layout.size)
        }

        var provenance = PolicyProvenance(algorithm: algorithm, environmentSteps: data["num_timesteps"] as? Int,
                                          createdAt: PolicyImportProvenance.now())
        if let seed = data["seed"] as? Int, seed >= 0 { provenance.seed = UInt64(seed) }
        provenance.other["imported_from"] = "stable-baselines3"
        provenance.other["source"] = (label as NSString).lastPathComponent
        if let version = try? archive.contents(of: "_stable_baselines3_version") {
            provenance.other["library_version"] = String(decoding: version, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if vecNormalize != nil { provenance.other["normalizer_source"] = (vecNormalizeLabel as NSString).lastPathComponent }

        let file = PolicyFile(robotIdentity: target.robotIdentity, robotName: target.robotName, controlRateHz: target.controlRateHz,
                              observationLayout: target.layout, normalization: normalization, layers: layers,
                              actionScaling: scaling,
                              notes: "imported from Stable-Baselines3 \(algorithm.uppercased()) \((label as NSString).lastPathComponent)",
                              trainedLatency: target.trainedLatency, provenance: provenance)
        do { try file.validate() } catch { throw .malformed("\(label): the imported policy is invalid: \(error)") }
        return file
    }

    private static func refuseUnsupported(keys: [String], data: [String: Any], label: String) throws(PolicyImportError) {
        if let k = keys.first(where: { $0.contains("lstm") || $0.contains("gru") || $0.contains("rnn") }) {
            throw .unsupported("\(label) is a recurrent policy ('\(k)', e.g. sb3-contrib RecurrentPPO); only feed-forward MlpPolicy actors can be imported")
        }
        if let k = keys.first(where: { $0.contains("features_extractor") }) {
            let kind = k.contains("cnn") ? "a CNN feature extractor (CnnPolicy)" : "a feature extractor with parameters"
            throw .unsupported("\(label) has \(kind) ('\(k)'); only MlpPolicy on flat observations can be imported")
        }
        if keys.contains(where: { $0.hasPrefix("q_net") }) {
            throw .unsupported("\(label) is a DQN (q_net); the robot needs a continuous action")
        }
        if keys.contains(where: { $0.hasPrefix("actor.mu.0.") }) {
            throw .unsupported("\(label) is a TD3/DDPG actor; only PPO, A2C and SAC are imported")
        }
    }

    private static func json(_ bytes: [UInt8], label: String) throws(PolicyImportError) -> [String: Any] {
        do {
            guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                throw PolicyImportError.malformed("\(label): 'data' is not a JSON object")
            }
            return object
        } catch let error as PolicyImportError {
            throw error
        } catch {
            throw .malformed("\(label): 'data' is not valid JSON (\(error.localizedDescription))")
        }
    }

    /// "Tanh" from `"<class 'torch.nn.modules.activation.Tanh'>"` (how SB3 writes a class it
    /// cannot JSON-encode).
    static func activationClass(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        let inner = text.replacingOccurrences(of: "<class '", with: "").replacingOccurrences(of: "'>", with: "")
        return inner.split(separator: ".").last.map(String.init)
    }

    /// The gymnasium space pickled in SB3's JSON (":serialized:" base64), read as data.
    private static func space(_ value: Any?, what: String, label: String) throws(PolicyImportError) -> PickleValue {
        guard let dict = value as? [String: Any], let type = dict[":type:"] as? String else {
            throw .malformed("\(label): 'data' lacks the \(what) space")
        }
        guard type.contains("spaces.box.Box") else {
            throw .unsupported("\(label): the \(what) space is \(type); only Box spaces are imported")
        }
        guard let encoded = dict[":serialized:"] as? String, let raw = Data(base64Encoded: encoded) else {
            throw .malformed("\(label): the \(what) space is not serialised")
        }
        return try PickleReader.read([UInt8](raw), label: "\(label):data/\(what)_space")
    }

    private static func boxShape(_ value: Any?, what: String, label: String) throws(PolicyImportError) -> [Int] {
        let box = try space(value, what: what, label: label)
        guard let shape = box.attributes?["_shape"]?.tupleItems?.compactMap(\.int) else {
            throw .malformed("\(label): the \(what) space has no shape")
        }
        return shape
    }

    private static func actionBounds(_ value: Any?, label: String) throws(PolicyImportError) -> (low: [Double], high: [Double]) {
        let box = try space(value, what: "action", label: label)
        guard let attributes = box.attributes, let lowValue = attributes["low"], let highValue = attributes["high"],
              let low = try PickledNumPy.values(lowValue, label: label), let high = try PickledNumPy.values(highValue, label: label) else {
            throw .malformed("\(label): the action space has no readable low/high bounds")
        }
        guard low.shape.count == 1, low.shape == high.shape else {
            throw .unsupported("\(label): action space of shape \(low.shape); only flat Box actions are imported")
        }
        return (low.values, high.values)
    }
}

/// The observation statistics of a pickled `VecNormalize` (its `obs_rms`, `epsilon`,
/// `clip_obs`, `norm_obs`), as the format's normaliser:
///
///     SB3:    clip((x − mean)/√(var + ε), −clip_obs, clip_obs)     in float64
///     format: clamp((x − mean)·1/√(var + ε), ±clip)                in float32
public enum VecNormalizeStatistics {
    public static func read(_ bytes: [UInt8], label: String, size: Int) throws(PolicyImportError) -> ObservationNormalization {
        let root = try PickleReader.read(bytes, label: label)
        guard root.typeName?.hasSuffix("VecNormalize") == true, let attributes = root.attributes else {
            throw .malformed("\(label) is not a pickled VecNormalize (found \(root.typeName ?? "a plain value")); pass the file VecNormalize.save() wrote")
        }
        if attributes["norm_obs"]?.bool == false { return .identity(size: size) }
        guard let rms = attributes["obs_rms"] else { throw .malformed("\(label): VecNormalize without obs_rms") }
        if rms.dictionaryEntries != nil && rms.typeName == nil {
            throw .unsupported("\(label): per-key statistics of a Dict observation space; only flat Box observations are imported")
        }
        guard let stats = rms.attributes, let meanValue = stats["mean"], let varValue = stats["var"],
              let mean = try PickledNumPy.values(meanValue, label: label), let variance = try PickledNumPy.values(varValue, label: label) else {
            throw .malformed("\(label): obs_rms has no readable mean/var")
        }
        guard mean.values.count == size, variance.values.count == size else {
            throw .mismatch("\(label) normalises \(mean.values.count) observation components but the layout has \(size)")
        }
        let epsilon = attributes["epsilon"]?.double ?? 1e-8
        let clip = attributes["clip_obs"]?.double ?? 10
        return ObservationNormalization(mean: mean.values.map { Float($0) }, variance: variance.values.map { Float($0) },
                                        epsilon: Float(epsilon), clip: Float(clip))
    }
}

enum PolicyImportProvenance {
    /// ISO-8601 UTC, seconds.
    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
