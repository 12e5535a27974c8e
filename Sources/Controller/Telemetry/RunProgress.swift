import Foundation

/// The progress lines of `furuta-controller run` while it runs: every `everySeconds` of loop
/// time, one line from the telemetry records themselves — the phase, the angles and duty of the
/// latest tick, how long the pendulum has been upright (the loop's definition: within
/// `uprightToleranceRad` of α = π while running) and the longest stretch so far, and the worst
/// wake-up lateness and skipped periods since the previous line. It runs on the drain thread
/// (`TelemetryDrain.progress`), never on the loop thread, so a slow stderr cannot delay a tick.
public final class RunProgress {
    private let everyNanoseconds: Int64
    private let uprightCosine: Double
    private let report: (String) -> Void
    private var nextLine: Int64?
    private var uprightSince: Int64?
    private var longestUpright: Int64 = 0
    private var worstLateness: Int64 = 0
    private var skipped = 0
    private var ticks = 0

    /// `uprightToleranceRad`: pass the loop's (`ControlLoopConfiguration.uprightToleranceRad`).
    public init(everySeconds: Double, uprightToleranceRad: Double, report: @escaping (String) -> Void) {
        everyNanoseconds = Int64(everySeconds * 1e9)
        uprightCosine = _cos(uprightToleranceRad)
        self.report = report
    }

    /// One drained record, in tick order.
    public func observe(_ r: TickRecord) {
        let t = r.deadlineNanoseconds
        if nextLine == nil { nextLine = t + everyNanoseconds }
        ticks += 1
        worstLateness = max(worstLateness, r.wakeLatencyNanoseconds)
        skipped += Int(r.skippedPeriods)
        // −cos α ≥ cos(tolerance) ⇔ α within the tolerance of π (mod 2π), as ControlLoop tests it.
        if r.phase == .running, r.hasSample, -_cos(r.pendulumAngle) >= uprightCosine {
            if uprightSince == nil { uprightSince = t }
            longestUpright = max(longestUpright, t - uprightSince!)
        } else {
            uprightSince = nil
        }
        guard let due = nextLine, t >= due else { return }
        nextLine = due + everyNanoseconds
        report(line(r))
        worstLateness = 0
        skipped = 0
        ticks = 0
    }

    func line(_ r: TickRecord) -> String {
        func fixed(_ x: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", x) }
        let upright = uprightSince.map { fixed(Double(r.deadlineNanoseconds - $0) * 1e-9, 1) + " s" } ?? "no"
        return "\(fixed(Double(r.deadlineNanoseconds) * 1e-9, 1)) s: \(r.phase.name), "
            + "pendulum \(fixed(r.pendulumAngle * 180 / .pi, 1))°, arm \(fixed(r.armAngle * 180 / .pi, 1))°, "
            + "duty \(fixed(r.dutyCommanded, 2)); upright \(upright) (longest \(fixed(Double(longestUpright) * 1e-9, 1)) s); "
            + "last \(ticks) ticks: worst wake-up \(fixed(Double(worstLateness) / 1000, 0)) µs late, \(skipped) periods skipped"
    }
}
