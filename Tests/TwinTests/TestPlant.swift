import Twin

/// A deterministic plant for the twin's tests: the arm turns at `duty × 2` rev/s (no inertia),
/// the pendulum encoder reads a constant. Counts = floor(revolutions × counts per revolution).
struct TestPlant: TwinPlant {
    let armCountsPerRevolution: UInt32 = 2048
    let pendulumCountsPerRevolution: UInt32 = 4096
    var armRevolutions = 0.0
    var elapsedSeconds = 0.0

    var armCounts: Int32 { Int32((armRevolutions * Double(armCountsPerRevolution)).rounded(.down)) }
    var pendulumCounts: Int32 { 1024 }

    mutating func advance(duty: Double, seconds: Double) {
        armRevolutions += 2 * duty * seconds
        elapsedSeconds += seconds
    }

    mutating func reset() {
        armRevolutions = 0
        elapsedSeconds = 0
    }
}
