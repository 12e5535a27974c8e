#if canImport(Glibc)
import Glibc
#endif

/// The `--log` file: one CSV line per period, header first. Columns are documented in
/// docs/controller.md ("Log format"); angles rad, velocities rad/s, duties in [−1, 1].
public enum TelemetryCSV {
    public static let header = "tick,time_s,wake_latency_us,work_us,inference_ns,skipped_periods,phase,homing_stage,"
        + "has_sample,device_time_us,arm_counts,pendulum_counts,arm_angle_rad,pendulum_angle_rad,"
        + "arm_velocity_rad_s,pendulum_velocity_rad_s,action,duty_commanded,duty_applied,device_status,safety_flags"

    /// One line (with its newline) for `record`.
    public static func line(_ r: TickRecord) -> String {
        var s = String()
        s.reserveCapacity(200)
        s += "\(r.tick),\(fixed(Double(r.deadlineNanoseconds) * 1e-9, 6)),\(fixed(Double(r.wakeLatencyNanoseconds) / 1000, 1)),"
        s += "\(fixed(Double(r.workNanoseconds) / 1000, 1)),\(r.inferenceNanoseconds),\(r.skippedPeriods),\(r.phase.name),\(r.homingStage.rawValue),"
        s += "\(r.hasSample ? 1 : 0),\(r.deviceTimeMicroseconds),\(r.armCounts),\(r.pendulumCounts),"
        s += "\(fixed(r.armAngle, 5)),\(fixed(r.pendulumAngle, 5)),\(fixed(r.armVelocity, 4)),\(fixed(r.pendulumVelocity, 4)),"
        s += "\(fixed(r.action, 5)),\(fixed(r.dutyCommanded, 5)),\(fixed(r.dutyApplied, 5)),\(r.deviceStatus),\(r.safetyFlags)\n"
        return s
    }

    static func fixed(_ value: Double, _ digits: Int32) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        var buffer = [CChar](repeating: 0, count: 48)
        _ = withVaList([value]) { vsnprintf(&buffer, 48, "%.\(digits)f", $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
