import Foundation
import MotorModel
import PolicyFormat
import RandomNumbers

/// Whether a policy the learner published may run on this robot: it must load (the file's own
/// CRC-32 is checked by `PolicyFile`), fit the robot (`PolicyCompatibility`: identity, rate,
/// encoders, one action), and give finite actions on a probe batch of observations (zeros,
/// ±1 and ±10 in every component, and seeded values in ±5: inputs far outside training included).
public enum CandidatePolicyCheck {
    public static func problems(path: String, robot: RobotParameters) -> [String] {
        let file: PolicyFile
        do { file = try PolicyFile(contentsOfFile: path) } catch { return ["cannot load: \(error)"] }
        var found = PolicyCompatibility.mismatches(policy: file, robot: robot)
        if !found.isEmpty { return found }
        let policy: FrozenPolicy
        do { policy = try FrozenPolicy(file) } catch { return ["cannot build: \(error)"] }
        if let bad = probe(policy) { found.append(bad) }
        return found
    }

    /// nil when every probe gives finite actions, else the first failing probe.
    static func probe(_ policy: FrozenPolicy) -> String? {
        let n = policy.observationSize
        var probes: [[Float]] = [[Float](repeating: 0, count: n)]
        for value: Float in [1, -1, 10, -10] { probes.append([Float](repeating: value, count: n)) }
        var random = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<16 { probes.append((0..<n).map { _ in Float(random.nextUniform() * 10 - 5) }) }
        var action = [Float](repeating: 0, count: policy.actionCount)
        for (k, observation) in probes.enumerated() {
            observation.withUnsafeBufferPointer { o in
                action.withUnsafeMutableBufferPointer { a in policy.act(observation: o, action: a) }
            }
            if !action.allSatisfy(\.isFinite) { return "non-finite action on probe observation \(k)" }
        }
        return nil
    }
}
