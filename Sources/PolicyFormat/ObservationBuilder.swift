#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds observation vectors from what the device reports — encoder counts and a timestamp —
/// exactly as laid out by an `ObservationLayout`. The simulator feeds it quantised physics
/// angles, the controller the firmware's counts: same code, same numbers.
///
/// All storage is allocated in `init`; `reset` and `observe` allocate nothing.
public struct ObservationBuilder: Sendable, Codable, Equatable {
    public let layout: ObservationLayout
    /// Past (features, action) rows, newest at `historyHead`; `historyLength` rows.
    private var history: [Double]
    private var historyHead = 0
    private var current: [Double]
    private var previousArmCounts: Int32 = 0
    private var previousPendulumCounts: Int32 = 0
    private var previousTimeUs: Int64 = 0
    private var armVelocity = 0.0
    private var pendulumVelocity = 0.0
    private var started = false

    public init(layout: ObservationLayout) {
        self.layout = layout
        self.history = Array(repeating: 0, count: max(layout.historyLength, 1) * (layout.features.count + layout.actionCount))
        self.current = Array(repeating: 0, count: layout.features.count)
    }

    /// Arm angle estimate θ, rad, from the latest counts.
    public private(set) var armAngle = 0.0
    /// Pendulum angle α, rad (0 hanging), from the latest counts, not wrapped.
    public private(set) var pendulumAngle = 0.0
    /// Latest velocity estimates, rad/s.
    public var armVelocityEstimate: Double { armVelocity }
    public var pendulumVelocityEstimate: Double { pendulumVelocity }

    /// Forget everything: velocities zero, history refilled from the next observation.
    public mutating func reset() {
        started = false
        armVelocity = 0
        pendulumVelocity = 0
        historyHead = 0
    }

    /// Take one sample and write the observation vector into `output` (`layout.size` values).
    ///
    /// - Parameters:
    ///   - armCounts, pendulumCounts: encoder counts since boot (pendulum hanging = 0).
    ///   - timeUs: the sample's timestamp, µs, strictly increasing.
    ///   - previousAction: the action applied since the previous sample (enters the history
    ///     together with the previous features).
    public mutating func observe(armCounts: Int32, pendulumCounts: Int32, timeUs: Int64,
                                 previousAction: UnsafeBufferPointer<Double>,
                                 into output: UnsafeMutableBufferPointer<Float>) {
        precondition(output.count >= layout.size, "observation buffer too small")
        let armScale = 2 * Double.pi / Double(layout.armCountsPerRevolution)
        let pendulumScale = 2 * Double.pi / Double(layout.pendulumCountsPerRevolution)
        if started {
            // Push the previous step's features and action into the history.
            if layout.historyLength > 0 { pushHistory(action: previousAction) }
            let dt = Double(timeUs - previousTimeUs) * 1e-6
            if dt > 0 {
                let beta = layout.velocitySmoothing
                // Counts difference in integer arithmetic: no wrap in the angle itself.
                let armRate = Double(armCounts &- previousArmCounts) * armScale / dt
                let pendulumRate = Double(pendulumCounts &- previousPendulumCounts) * pendulumScale / dt
                armVelocity += beta * (armRate - armVelocity)
                pendulumVelocity += beta * (pendulumRate - pendulumVelocity)
            }
        }
        previousArmCounts = armCounts
        previousPendulumCounts = pendulumCounts
        previousTimeUs = timeUs
        armAngle = Double(armCounts) * armScale
        pendulumAngle = Double(pendulumCounts) * pendulumScale
        for (i, feature) in layout.features.enumerated() { current[i] = value(of: feature) }
        if !started {
            started = true
            fillHistoryWithCurrent()
        }
        write(into: output)
    }

    private func value(of feature: ObservationFeature) -> Double {
        switch feature {
        case .armAngle: return armAngle
        case .armSin: return sin(armAngle)
        case .armCos: return cos(armAngle)
        case .armVelocity: return armVelocity
        case .pendulumSin: return sin(pendulumAngle)
        case .pendulumCos: return cos(pendulumAngle)
        case .pendulumVelocity: return pendulumVelocity
        }
    }

    private var rowWidth: Int { layout.features.count + layout.actionCount }

    private mutating func pushHistory(action: UnsafeBufferPointer<Double>) {
        historyHead = (historyHead + layout.historyLength - 1) % layout.historyLength
        let base = historyHead * rowWidth
        for i in 0..<layout.features.count { history[base + i] = current[i] }
        for a in 0..<layout.actionCount { history[base + layout.features.count + a] = a < action.count ? action[a] : 0 }
    }

    private mutating func fillHistoryWithCurrent() {
        guard layout.historyLength > 0 else { return }
        for row in 0..<layout.historyLength {
            let base = row * rowWidth
            for i in 0..<layout.features.count { history[base + i] = current[i] }
            for a in 0..<layout.actionCount { history[base + layout.features.count + a] = 0 }
        }
    }

    private func write(into output: UnsafeMutableBufferPointer<Float>) {
        var k = 0
        for i in 0..<layout.features.count { output[k] = Float(current[i]); k += 1 }
        for j in 0..<layout.historyLength {
            let base = ((historyHead + j) % layout.historyLength) * rowWidth
            for i in 0..<rowWidth { output[k] = Float(history[base + i]); k += 1 }
        }
    }
}
