/// The physics behind a `VirtualDevice`: what the motor drives and the encoders read.
///
/// The MuJoCo-backed plant lives with the simulation; tests use small deterministic ones.
/// `VirtualDevice` calls these from its own thread, one call at a time, under its lock.
public protocol TwinPlant {
    /// Encoder resolution reported in the handshake, counts per revolution (quadrature ×4).
    var armCountsPerRevolution: UInt32 { get }
    var pendulumCountsPerRevolution: UInt32 { get }

    /// Encoder readings now, quantised as the hardware counter would (wrapping is the
    /// device's business: it reports int32 counts since its boot).
    var armCounts: Int32 { get }
    var pendulumCounts: Int32 { get }

    /// Advances the physics by `seconds` with `duty` ∈ [−1, 1] applied to the motor throughout.
    mutating func advance(duty: Double, seconds: Double)

    /// Back to the initial state (pendulum hanging, at rest).
    mutating func reset()
}
