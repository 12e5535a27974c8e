import Synchronization

/// How far the arm can still travel towards one limit, from the motor model, as a table over the
/// velocity towards that limit (built once, looked up per tick without allocating).
///
/// For each outward velocity w (rad/s, negative = moving away from the limit) the model runs the
/// worst case: full outward duty (+D towards the limit, D = the duty limit) for the brake latency
/// L — a brake decided now reaches the motor one period later at worst (a lost command is re-sent
/// as the next period's request) — then full braking duty (−D) until the arm has stopped; the
/// entry is the largest outward excursion on the way, times `factor` (model error, the pendulum's
/// reaction). The drive's lag (`MotorChain`) and friction are included.
///
///     e(w) = factor · max_t x(t),  x(0) = 0, ẋ(0) = w, u = +D for t < L, −D after
public struct StoppingDistanceTable: Sendable {
    /// +1: the limit at θ = +θ_lim; −1: the one at −θ_lim (the drive is not symmetric).
    public let side: Double
    public let minimumVelocity: Double
    public let step: Double
    private let entries: [Double]

    /// Velocities beyond the table's top are extrapolated with the last segment's slope.
    public init(arm: ArmDynamics, side: Double, dutyLimit: Double, latencySeconds: Double, factor: Double,
                minimumVelocity: Double = -20, maximumVelocity: Double = 130, step: Double = 0.5) {
        self.side = side
        self.minimumVelocity = minimumVelocity
        self.step = step
        let count = Int(((maximumVelocity - minimumVelocity) / step).rounded()) + 1
        var table = [Double](repeating: 0, count: count)
        for i in 0..<count {
            let w = minimumVelocity + Double(i) * step
            table[i] = factor * Self.excursion(arm: arm, side: side, outwardVelocity: w, dutyLimit: dutyLimit,
                                               latencySeconds: latencySeconds)
        }
        entries = table
    }

    /// The table for these settings, built once per process (a session builds a loop per
    /// connection; tests build hundreds).
    public static func shared(arm: ArmDynamics, side: Double, dutyLimit: Double, latencySeconds: Double,
                              factor: Double) -> StoppingDistanceTable {
        let key = Key(arm: arm, side: side, dutyLimit: dutyLimit, latencySeconds: latencySeconds, factor: factor)
        if let table = cache.withLock({ $0[key] }) { return table }
        let table = StoppingDistanceTable(arm: arm, side: side, dutyLimit: dutyLimit, latencySeconds: latencySeconds,
                                          factor: factor)
        cache.withLock { $0[key] = table }
        return table
    }

    private struct Key: Hashable {
        var arm: ArmDynamics, side: Double, dutyLimit: Double, latencySeconds: Double, factor: Double
    }
    private static let cache = Mutex<[Key: StoppingDistanceTable]>([:])

    /// e(w), rad, for outward velocity w (linear interpolation; 0 below the table).
    public func distance(outwardVelocity w: Double) -> Double {
        guard w.isFinite else { return .infinity }
        let x = (w - minimumVelocity) / step
        if x <= 0 { return entries[0] }
        let last = entries.count - 1
        let i = min(Int(x), last - 1)
        let fraction = x - Double(i)
        return entries[i] + (entries[i + 1] - entries[i]) * fraction
    }

    /// The model run for one entry, in the limit's frame (x outward), 0.5 ms steps.
    static func excursion(arm: ArmDynamics, side: Double, outwardVelocity w: Double, dutyLimit: Double,
                          latencySeconds: Double) -> Double {
        let dt = 0.000_5
        var chain = MotorChain(parameters: arm.motor)
        var x = 0.0, v = w, t = 0.0, farthest = 0.0
        // Worst case for the lag too: the drive already delivers the outward duty.
        chain.lag.value = effectiveDrive(duty: side * dutyLimit, arm.motor)
        while t < 5 {
            let braking = t >= latencySeconds
            if braking && v <= 0 { break }
            let duty = braking ? -side * dutyLimit : side * dutyLimit
            // The chain works in the arm's frame: velocity side·v, torque back into the limit's frame.
            let torque = side * chain.step(duty: duty, armVelocityRadPerS: side * v, dtS: dt)
            v += torque / arm.inertiaKgM2 * dt
            x += v * dt
            farthest = max(farthest, x)
            t += dt
        }
        return farthest
    }
}
