import Foundation
import PolicyFormat

/// What `furuta policy show` prints: everything a deployer checks before running a policy, read
/// from the file (and from a rehearsal record beside it, when there is one). `Codable` with
/// snake_case keys for `--json`.
public struct PolicySummary: Codable, Equatable, Sendable {
    public struct Robot: Codable, Equatable, Sendable {
        /// `RobotParameters.identity`, as 16 hex digits with 0x.
        public var identity: String
        public var name: String
    }

    public struct Layout: Codable, Equatable, Sendable {
        public var features: [String]
        public var historyLength: Int
        public var actionCount: Int
        /// Length of the observation vector.
        public var size: Int
        public var armCountsPerRevolution: Int
        public var pendulumCountsPerRevolution: Int
        public var velocitySmoothing: Double

        enum CodingKeys: String, CodingKey {
            case features, size
            case historyLength = "history_length", actionCount = "action_count"
            case armCountsPerRevolution = "arm_counts_per_revolution"
            case pendulumCountsPerRevolution = "pendulum_counts_per_revolution"
            case velocitySmoothing = "velocity_smoothing"
        }
    }

    public struct Layer: Codable, Equatable, Sendable {
        public var inputs: Int
        public var outputs: Int
        public var activation: String
    }

    public struct Normalizer: Codable, Equatable, Sendable {
        public var size: Int
        public var epsilon: Float
        /// nil when there is no clip (infinite).
        public var clip: Float?
        /// True for mean 0, variance 1, ε 0 (no normalisation).
        public var isIdentity: Bool
        public var mean: [Float]
        /// √variance per component.
        public var standardDeviation: [Float]

        enum CodingKeys: String, CodingKey {
            case size, epsilon, clip, mean
            case isIdentity = "is_identity", standardDeviation = "standard_deviation"
        }
    }

    public struct Actions: Codable, Equatable, Sendable {
        public var squash: String
        public var scale: [Float]
        public var offset: [Float]
    }

    public struct Latency: Codable, Equatable, Sendable {
        public var minimumSeconds: Double
        public var maximumSeconds: Double

        enum CodingKeys: String, CodingKey {
            case minimumSeconds = "minimum_seconds", maximumSeconds = "maximum_seconds"
        }
    }

    public var robot: Robot
    public var controlRateHz: Double
    public var layout: Layout
    public var layers: [Layer]
    public var parameterCount: Int
    public var normalizer: Normalizer
    public var actions: Actions
    /// nil when the file does not say (format version 1, or an import without it).
    public var trainedLatency: Latency?
    public var provenance: [String: String]
    public var notes: String
    /// Path of the rehearsal record found beside the policy, and its contents.
    public var rehearsalRecord: String?
    public var rehearsal: JSONValue?

    /// snake_case keys, written out (a key strategy would also rewrite the keys of the
    /// provenance and rehearsal dictionaries, which are shown as stored).
    enum CodingKeys: String, CodingKey {
        case robot, layout, layers, normalizer, actions, provenance, notes, rehearsal
        case controlRateHz = "control_rate_hz", parameterCount = "parameter_count"
        case trainedLatency = "trained_latency", rehearsalRecord = "rehearsal_record"
    }

    public init(policy: PolicyFile, rehearsalRecord: String? = nil, rehearsal: JSONValue? = nil) {
        let l = policy.observationLayout, n = policy.normalization, s = policy.actionScaling
        robot = Robot(identity: PolicyONNXExport.hex(policy.robotIdentity), name: policy.robotName)
        controlRateHz = policy.controlRateHz
        layout = Layout(features: l.features.map(\.interopName), historyLength: l.historyLength,
                        actionCount: l.actionCount, size: l.size, armCountsPerRevolution: l.armCountsPerRevolution,
                        pendulumCountsPerRevolution: l.pendulumCountsPerRevolution, velocitySmoothing: l.velocitySmoothing)
        layers = policy.layers.map { Layer(inputs: $0.inputCount, outputs: $0.outputCount, activation: $0.activation.name) }
        parameterCount = policy.layers.reduce(0) { $0 + $1.weights.count + $1.biases.count }
        normalizer = Normalizer(size: n.size, epsilon: n.epsilon, clip: n.clip.isFinite ? n.clip : nil,
                                isIdentity: n.epsilon == 0 && n.mean.allSatisfy { $0 == 0 } && n.variance.allSatisfy { $0 == 1 },
                                mean: n.mean, standardDeviation: n.variance.map { $0.squareRoot() })
        actions = Actions(squash: s.squash == .clip ? "clip" : "tanh", scale: s.scale, offset: s.offset)
        trainedLatency = policy.trainedLatency.map { Latency(minimumSeconds: $0.minimumSeconds, maximumSeconds: $0.maximumSeconds) }
        provenance = Dictionary(uniqueKeysWithValues: policy.provenance.pairs.map { ($0.key, $0.value) })
        notes = policy.notes
        self.rehearsalRecord = rehearsalRecord
        self.rehearsal = rehearsal
    }

    /// The rehearsal record beside `policyPath`: `FILE.rehearsal.json`, or with `.policy`
    /// replaced (`final.rehearsal.json`). nil when neither exists; throws when one exists but is
    /// not JSON.
    public static func rehearsalRecord(besidePolicy policyPath: String) throws(PolicyImportError) -> (path: String, value: JSONValue)? {
        var candidates = [policyPath + ".rehearsal.json"]
        if policyPath.hasSuffix(".policy") { candidates.append(String(policyPath.dropLast(".policy".count)) + ".rehearsal.json") }
        for path in candidates where FileManager.default.fileExists(atPath: path) {
            guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable("cannot read \(path)") }
            do {
                return (path, try JSONDecoder().decode(JSONValue.self, from: data))
            } catch {
                throw .malformed("rehearsal record \(path) is not JSON: \(error)")
            }
        }
        return nil
    }

    /// The human-readable form.
    public var text: String {
        var lines: [String] = []
        lines.append("robot            \(robot.name) (identity \(robot.identity))")
        lines.append("control rate     \(controlRateHz) Hz")
        lines.append("observation      \(layout.size) values: \(layout.features.joined(separator: ", ")), history \(layout.historyLength)")
        lines.append("                 encoders \(layout.armCountsPerRevolution)/\(layout.pendulumCountsPerRevolution) counts/rev, velocity smoothing \(layout.velocitySmoothing)")
        let shape = ([layout.size] + layers.map(\.outputs)).map(String.init).joined(separator: " → ")
        lines.append("network          \(shape) (\(parameterCount) parameters)")
        lines.append("activations      " + layers.map(\.activation).joined(separator: ", "))
        if normalizer.isIdentity {
            lines.append("normaliser       none (identity)")
        } else {
            let clip = normalizer.clip.map { "±\($0)" } ?? "none"
            let sd = normalizer.standardDeviation
            lines.append("normaliser       \(normalizer.size) components, ε \(normalizer.epsilon), clip \(clip), std \(sd.min() ?? 0)…\(sd.max() ?? 0)")
        }
        lines.append("actions          squash \(actions.squash), scale \(actions.scale), offset \(actions.offset)")
        if let trainedLatency {
            lines.append("trained latency  \(trainedLatency.minimumSeconds * 1000)…\(trainedLatency.maximumSeconds * 1000) ms")
        } else {
            lines.append("trained latency  not recorded")
        }
        if provenance.isEmpty {
            lines.append("provenance       not recorded")
        } else {
            for (i, key) in provenance.keys.sorted().enumerated() {
                lines.append((i == 0 ? "provenance       " : "                 ") + "\(key): \(provenance[key]!)")
            }
        }
        if !notes.isEmpty { lines.append("notes            \(notes)") }
        if let rehearsalRecord, let rehearsal {
            var line = "rehearsal        \(rehearsalRecord)"
            if case .object(let fields) = rehearsal, let rate = fields["pass_rate"] { line += ": pass rate \(rate.text)" }
            lines.append(line)
        } else {
            lines.append("rehearsal        none beside the file")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `--json`: snake_case keys (named in CodingKeys), sorted, slashes unescaped — the style of
    /// `JSONOutput`, which this module cannot import (RobotDescription brings Yams); every number
    /// here is finite (a policy file with NaN weights is refused when read).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }
}

/// Any JSON value, kept as read (the rehearsal record belongs to the controller; we only show it).
public enum JSONValue: Codable, Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    var text: String {
        switch self {
        case .null: return "null"
        case .bool(let b): return "\(b)"
        case .number(let d): return "\(d)"
        case .string(let s): return s
        case .array(let a): return "[\(a.count) items]"
        case .object(let o): return "{\(o.count) keys}"
        }
    }
}
