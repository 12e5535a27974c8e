import Foundation
import PolicyFormat

/// Transitions from an episode the controller recorded (its telemetry CSV, columns in
/// docs/controller.md), rebuilt exactly as the controller's `PolicyRunner` saw them: the rows of
/// phase `running` that carry a fresh state, fed through the policy's `ObservationBuilder` with
/// the previous clipped action. For running rows k, k+1:
///
///     s_k = builder(counts_k − zero, t_k, a_{k−1}),   a_k = clamp(action_k, ±1),   a_{−1} = 0
///     r_k = task.reward(θ_{k+1}, α_{k+1}, θ̇_{k+1}, α̇_{k+1}, a_k)     (as the simulator rewards a step)
///     terminated: |θ_{k+1}| > θ_lim, or the safety layer intervened at k+1;  the last is truncated.
///
/// On the robot the arm does not leave its travel as in simulation: the controller's stopping
/// envelope brakes it first (safety flags `outward_blocked`, `braking`, `outside_soft_limit`).
/// Such an intervention is the simulator's termination (the policy drove the arm where the
/// task ends), so the step into it is terminated with the task's penalty, the rows under the
/// intervention are skipped (their action is not the one applied), and transitions resume at
/// the next row the policy drove again, with the controller's observations continuing (its
/// builder was never reset).
///
/// The counts are the raw `arm_counts`/`pendulum_counts` columns minus the zeros, and the zeros
/// are read off the second running row (zero = counts − round(angle·N/2π)): the first running
/// row's angle columns were written before the loop moved the pendulum's zero to the rest angle
/// homing found, so they can be off by whole turns and must not be used.
public enum RecordedEpisode {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// One running row of the log: what the controller measured and did in one control period.
    public struct Step: Sendable, Equatable {
        public var deviceTimeUs: Int64
        public var armCounts: Int32, pendulumCounts: Int32
        public var armAngle: Double, pendulumAngle: Double
        public var armVelocity: Double, pendulumVelocity: Double
        /// Policy output plus exploration, before the clip (the log's `action`).
        public var action: Double
        /// The log's `safety_flags` (bits of the controller's `SafetyFlag`).
        public var safetyFlags: UInt8
        public init(deviceTimeUs: Int64, armCounts: Int32, pendulumCounts: Int32, armAngle: Double, pendulumAngle: Double,
                    armVelocity: Double, pendulumVelocity: Double, action: Double, safetyFlags: UInt8 = 0) {
            self.safetyFlags = safetyFlags
            self.deviceTimeUs = deviceTimeUs
            self.armCounts = armCounts
            self.pendulumCounts = pendulumCounts
            self.armAngle = armAngle
            self.pendulumAngle = pendulumAngle
            self.armVelocity = armVelocity
            self.pendulumVelocity = pendulumVelocity
            self.action = action
        }
    }

    /// `safety_flags` bits that mean the safety layer, not the policy, drove the arm: outward
    /// duty blocked (4), outside the soft limit (8), braking (16) (the controller's `SafetyFlag`).
    public static let interventionFlags: UInt8 = 4 | 8 | 16

    /// The running rows with a fresh sample, in order.
    public static func steps(csv text: String) throws(Failure) -> [Step] {
        var lines = text.split(separator: "\n")
        guard !lines.isEmpty else { return [] }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        func column(_ name: String) throws(Failure) -> Int {
            guard let i = header.firstIndex(of: name) else { throw Failure(description: "the episode log has no column \(name)") }
            return i
        }
        let phase = try column("phase"), hasSample = try column("has_sample"), time = try column("device_time_us")
        let armCounts = try column("arm_counts"), pendulumCounts = try column("pendulum_counts")
        let arm = try column("arm_angle_rad"), pendulum = try column("pendulum_angle_rad")
        let armSpeed = try column("arm_velocity_rad_s"), pendulumSpeed = try column("pendulum_velocity_rad_s")
        let action = try column("action"), flags = try column("safety_flags")
        var steps: [Step] = []
        for line in lines {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count, f[phase] == "running", f[hasSample] == "1",
                  let t = Int64(f[time]), let ac = Int32(f[armCounts]), let pc = Int32(f[pendulumCounts]),
                  let th = Double(f[arm]), let al = Double(f[pendulum]),
                  let thd = Double(f[armSpeed]), let ald = Double(f[pendulumSpeed]), let a = Double(f[action]),
                  let safety = UInt8(f[flags]) else { continue }
            steps.append(Step(deviceTimeUs: t, armCounts: ac, pendulumCounts: pc, armAngle: th, pendulumAngle: al,
                              armVelocity: thd, pendulumVelocity: ald, action: a, safetyFlags: safety))
        }
        return steps
    }

    public static func transitions(csv text: String, layout: ObservationLayout, task: SwingUpTask,
                                   armLimit: Double) throws(Failure) -> [Transition] {
        transitions(steps: try steps(csv: text), layout: layout, task: task, armLimit: armLimit)
    }

    public static func transitions(steps rows: [Step], layout: ObservationLayout, task: SwingUpTask,
                                   armLimit: Double) -> [Transition] {
        guard rows.count >= 2 else { return [] }
        let armPerRad = Double(layout.armCountsPerRevolution) / (2 * Double.pi)
        let pendulumPerRad = Double(layout.pendulumCountsPerRevolution) / (2 * Double.pi)
        // θ·N/2π is an integer to far below the 5 printed decimals.
        let armZero = rows[1].armCounts &- Int32((rows[1].armAngle * armPerRad).rounded())
        let pendulumZero = rows[1].pendulumCounts &- Int32((rows[1].pendulumAngle * pendulumPerRad).rounded())
        func clipped(_ a: Double) -> Double { a.isFinite ? min(max(a, -1), 1) : 0 }
        var builder = ObservationBuilder(layout: layout)
        var observations: [[Float]] = []
        observations.reserveCapacity(rows.count)
        var previous = [Double](repeating: 0, count: layout.actionCount)
        var buffer = [Float](repeating: 0, count: layout.size)
        for row in rows {
            previous.withUnsafeBufferPointer { p in
                buffer.withUnsafeMutableBufferPointer { out in
                    builder.observe(armCounts: row.armCounts &- armZero, pendulumCounts: row.pendulumCounts &- pendulumZero,
                                    timeUs: row.deviceTimeUs, previousAction: p, into: out)
                }
            }
            observations.append(buffer)
            previous[0] = clipped(row.action)
        }
        func intervened(_ row: Step) -> Bool {
            row.safetyFlags & interventionFlags != 0 || task.isTerminal(armAngle: row.armAngle, armLimit: armLimit)
        }
        var out: [Transition] = []
        for k in 0..<(rows.count - 1) where !intervened(rows[k]) {
            let next = rows[k + 1]
            let a = clipped(rows[k].action)
            let reward = task.reward(armAngle: next.armAngle, armLimit: armLimit, pendulumAngle: next.pendulumAngle,
                                     armVelocity: next.armVelocity, pendulumVelocity: next.pendulumVelocity, action: a)
            let terminal = intervened(next)
            out.append(Transition(observation: observations[k], action: [Float(a)],
                                  reward: Float(reward + (terminal ? task.terminationPenalty : 0)),
                                  nextObservation: observations[k + 1], terminated: terminal,
                                  truncated: !terminal && k == rows.count - 2))
        }
        return out
    }
}
