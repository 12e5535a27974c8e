import Foundation
@testable import Plotting

/// Small inputs in the formats furuta writes.
enum FigureFixtures {
    static func metrics(seed: Int, iterations: Int = 40) -> String {
        var rows = ["iteration,env_steps,mean_episode_return,eval_success_rate"]
        for i in 1...iterations {
            let eval = i % 10 == 0 ? String(Double(i) / Double(iterations)) : ""
            rows.append("\(i),\(i * 8192),\(Double(i * 10 + seed)),\(eval)")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// A deployment log: homing, running with a limit active, then a safe stop.
    static func deploymentLog(periods: Int = 600) -> String {
        var rows = ["tick,time_s,wake_latency_us,work_us,inference_ns,skipped_periods,phase,homing_stage,has_sample,"
            + "device_time_us,arm_counts,pendulum_counts,arm_angle_rad,pendulum_angle_rad,arm_velocity_rad_s,"
            + "pendulum_velocity_rad_s,action,duty_commanded,duty_applied,device_status,safety_flags"]
        for k in 0..<periods {
            let t = Double(k) * 0.01
            let phase = k < 100 ? "homing" : k < 550 ? "running" : "safe_stop"
            let flags = (300..<320).contains(k) ? 8 : 0
            let skipped = k == 400 ? 1 : 0
            let alpha = min(Double.pi, t / 2)
            rows.append("\(k),\(t),\(50 + k % 37),20,1200,\(skipped),\(phase),0,1,0,0,0,\(0.2 * sin(t)),\(alpha),0,0,0.1,\(0.3 * sin(3 * t)),\(0.3 * sin(3 * t)),0,\(flags)")
        }
        return rows.joined(separator: "\n") + "\n"
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
