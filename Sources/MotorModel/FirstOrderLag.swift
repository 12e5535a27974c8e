#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// First-order lag τ·dx/dt = target − x, advanced exactly for a target held over the step
/// (zero-order hold): x ← x + (target − x)·(1 − exp(−Δt/τ)). After one time constant x has moved
/// 1 − e⁻¹ ≈ 63.2 % of the way, whatever the step size. τ = 0 passes the target through.
public struct FirstOrderLag: Sendable, Equatable {
    /// Current output x.
    public var value: Double

    public init(value: Double = 0) { self.value = value }

    @inlinable
    public mutating func advance(toward target: Double, timeConstantS tau: Double, dtS dt: Double) {
        if tau <= 0 {
            value = target
        } else {
            value += (target - value) * (1 - exp(-dt / tau))
        }
    }
}
