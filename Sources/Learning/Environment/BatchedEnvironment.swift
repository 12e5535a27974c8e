import PolicyFormat

/// The contract between the trainer and a batch of simulated pendulums (in the spirit of
/// rsl_rl's `vec_env.py`). All buffers are preallocated, contiguous and owned by the
/// environment; they stay valid (same addresses) for the environment's lifetime and are
/// overwritten by each `reset` or `step`.
///
/// Shapes (row-major, env index outermost):
/// - `observations`: count × observationSize, Float. After `step`, the observation of the
///   *next* step: for an env whose episode just ended it is already the first observation of the
///   new episode (auto-reset).
/// - `finalObservations`: count × observationSize. For an env with `terminated` or `truncated`
///   set by the last `step`, the last observation of the episode that ended (bootstrap a
///   truncation with V(finalObservation)); other rows are unspecified.
/// - `rewards`: count, the reward of the transition just taken.
/// - `terminated`: count, 1 when the episode ended in a terminal state (arm past its soft limit):
///   no bootstrap. `truncated`: count, 1 when it hit the time limit: bootstrap. Never both.
///
/// Actions are count × actionSize in [−1, 1] (clipped inside): the policy's action, which the
/// simulator passes through `MotorModel` exactly as the controller does on the robot.
/// Results for a given seed are identical whatever the number of worker threads.
public protocol BatchedEnvironment: AnyObject {
    var count: Int { get }
    var observationSize: Int { get }
    var actionSize: Int { get }
    /// How observations are built (stored in the exported policy).
    var observationLayout: ObservationLayout { get }

    /// Start every env on a fresh episode; per-env randomness derives from `seed` and the index.
    func reset(seed: UInt64)
    /// Advance every env by one control step.
    func step(actions: UnsafeBufferPointer<Float>)

    var observations: UnsafeBufferPointer<Float> { get }
    var finalObservations: UnsafeBufferPointer<Float> { get }
    var rewards: UnsafeBufferPointer<Float> { get }
    var terminated: UnsafeBufferPointer<UInt8> { get }
    var truncated: UnsafeBufferPointer<UInt8> { get }
}
