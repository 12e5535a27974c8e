import MotorModel
import Twin

/// Plants that make homing's refusals happen on the twin: each wraps the real MuJoCo plant and
/// changes what one encoder reports, as a real robot's fault would.
struct StuckPendulumPlant: TwinPlant {
    var inner: PhysicsPlant
    /// The pendulum is jammed at this angle (against its cable): its counts never change.
    let stuckCounts: Int32
    var armCountsPerRevolution: UInt32 { inner.armCountsPerRevolution }
    var pendulumCountsPerRevolution: UInt32 { inner.pendulumCountsPerRevolution }
    var armCounts: Int32 { inner.armCounts }
    var pendulumCounts: Int32 { stuckCounts }
    mutating func advance(duty: Double, seconds: Double) { inner.advance(duty: duty, seconds: seconds) }
    mutating func reset() { inner.reset() }
}

/// A pendulum encoder with a loose wire: every `period` s its count jumps by `jump` for a while.
struct GlitchingEncoderPlant: TwinPlant {
    var inner: PhysicsPlant
    let jump: Int32
    let period: Double
    var elapsed = 0.0
    var armCountsPerRevolution: UInt32 { inner.armCountsPerRevolution }
    var pendulumCountsPerRevolution: UInt32 { inner.pendulumCountsPerRevolution }
    var armCounts: Int32 { inner.armCounts }
    var pendulumCounts: Int32 {
        inner.pendulumCounts &+ (elapsed.truncatingRemainder(dividingBy: period) > period * 0.8 ? jump : 0)
    }
    mutating func advance(duty: Double, seconds: Double) {
        inner.advance(duty: duty, seconds: seconds)
        elapsed += seconds
    }
    mutating func reset() { inner.reset() }
}

/// The device booted with the arm somewhere else: its arm counts are offset by `offsetCounts`,
/// so at start the arm reads beyond its soft limit.
struct OffsetArmPlant: TwinPlant {
    var inner: PhysicsPlant
    let offsetCounts: Int32
    var armCountsPerRevolution: UInt32 { inner.armCountsPerRevolution }
    var pendulumCountsPerRevolution: UInt32 { inner.pendulumCountsPerRevolution }
    var armCounts: Int32 { inner.armCounts &+ offsetCounts }
    var pendulumCounts: Int32 { inner.pendulumCounts }
    mutating func advance(duty: Double, seconds: Double) { inner.advance(duty: duty, seconds: seconds) }
    mutating func reset() { inner.reset() }
}
