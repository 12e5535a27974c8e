import Foundation
import PolicyFormat

/// Transitions from an episode the controller recorded (its telemetry CSV, columns in
/// docs/controller.md), rebuilt exactly as the controller's `PolicyRunner` saw them: the rows of
/// phase `running` that carry a fresh state, counts relative to the zeros (from the angle
/// columns: θ·N/2π is an integer to far below the 5 printed decimals), fed through the
/// policy's `ObservationBuilder` with the previous clipped action. For rows k, k+1:
///
///     s_k = builder(counts_k, t_k, a_{k−1}),   a_k = clamp(action_k, ±1),
///     r_k = task.reward(θ_{k+1}, α_{k+1}, θ̇_{k+1}, α̇_{k+1}, a_k)     (as the simulator rewards a step)
///     terminated: |θ_{k+1}| > θ_lim;  the last transition is truncated.
public enum RecordedEpisode {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func transitions(csv text: String, layout: ObservationLayout, task: SwingUpTask,
                                   armLimit: Double) throws(Failure) -> [Transition] {
        var lines = text.split(separator: "\n")
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        func column(_ name: String) throws(Failure) -> Int {
            guard let i = header.firstIndex(of: name) else { throw Failure(description: "the episode log has no column \(name)") }
            return i
        }
        let phase = try column("phase"), hasSample = try column("has_sample"), time = try column("device_time_us")
        let arm = try column("arm_angle_rad"), pendulum = try column("pendulum_angle_rad")
        let armSpeed = try column("arm_velocity_rad_s"), pendulumSpeed = try column("pendulum_velocity_rad_s")
        let action = try column("action")
        struct Row { var t: Int64; var theta, alpha, thetaDot, alphaDot, action: Double }
        var rows: [Row] = []
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count, f[phase] == "running", f[hasSample] == "1",
                  let t = Int64(f[time]), let th = Double(f[arm]), let al = Double(f[pendulum]),
                  let thd = Double(f[armSpeed]), let ald = Double(f[pendulumSpeed]), let a = Double(f[action]) else { continue }
            rows.append(Row(t: t, theta: th, alpha: al, thetaDot: thd, alphaDot: ald, action: a.isFinite ? min(max(a, -1), 1) : 0))
        }
        guard rows.count >= 2 else { return [] }
        var builder = ObservationBuilder(layout: layout)
        let armPerRad = Double(layout.armCountsPerRevolution) / (2 * Double.pi)
        let pendulumPerRad = Double(layout.pendulumCountsPerRevolution) / (2 * Double.pi)
        var observations: [[Float]] = []
        var previous = [Double](repeating: 0, count: layout.actionCount)
        var buffer = [Float](repeating: 0, count: layout.size)
        for row in rows {
            previous.withUnsafeBufferPointer { p in
                buffer.withUnsafeMutableBufferPointer { out in
                    builder.observe(armCounts: Int32((row.theta * armPerRad).rounded()),
                                    pendulumCounts: Int32((row.alpha * pendulumPerRad).rounded()),
                                    timeUs: row.t, previousAction: p, into: out)
                }
            }
            observations.append(buffer)
            previous[0] = row.action
        }
        var out: [Transition] = []
        for k in 0..<(rows.count - 1) {
            let next = rows[k + 1]
            let reward = task.reward(armAngle: next.theta, armLimit: armLimit, pendulumAngle: next.alpha,
                                     armVelocity: next.thetaDot, pendulumVelocity: next.alphaDot, action: rows[k].action)
            let terminal = task.isTerminal(armAngle: next.theta, armLimit: armLimit)
            out.append(Transition(observation: observations[k], action: [Float(rows[k].action)],
                                  reward: Float(reward + (terminal ? task.terminationPenalty : 0)),
                                  nextObservation: observations[k + 1], terminated: terminal,
                                  truncated: !terminal && k == rows.count - 2))
            if terminal { break }
        }
        return out
    }
}
