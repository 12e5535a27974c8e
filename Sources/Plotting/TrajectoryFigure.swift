/// A `furuta sim` trajectory: angles, velocities, action and duty, and reward over time.
public enum TrajectoryFigure {
    public static func make(trajectory: CSVTable, source: String) throws(PlotError) -> Figure {
        let t = try trajectory.require("time_s", in: source)
        guard !t.isEmpty else { throw .noData(source) }
        func col(_ name: String) throws(PlotError) -> [Double] { try trajectory.require(name, in: source) }
        let x = t.first!...t.last!
        let angles = Panel(title: "Angles (α = 0 hanging, π upright)", xLabel: "time (s)", yLabel: "angle (rad)", marks: [
            .level(y: Double.pi, label: "upright (π)", color: .gray),
            .line(name: "pendulum α mod 2π", color: .blue, x: t, y: Angles.wrappedForDrawing(try col("pendulum_angle_rad")), width: 2),
            .line(name: "arm θ", color: .orange, x: t, y: try col("arm_angle_rad"), width: 2)], xDomain: x)
        let velocities = Panel(title: "Angular velocities", xLabel: "time (s)", yLabel: "velocity (rad/s)", marks: [
            .line(name: "pendulum α̇", color: .blue, x: t, y: try col("pendulum_velocity_rad_s")),
            .line(name: "arm θ̇", color: .orange, x: t, y: try col("arm_velocity_rad_s"))], xDomain: x)
        let drive = Panel(title: "Action and motor duty", xLabel: "time (s)", yLabel: "action, duty (−1…1)", marks: [
            .line(name: "action", color: .green, x: t, y: try col("action")),
            .line(name: "duty applied", color: .red, x: t, y: try col("duty"), dashed: true)],
            xDomain: x, yDomain: -1.05...1.05)
        let reward = try col("reward")
        let rewards = Panel(title: "Reward per control step", xLabel: "time (s)", yLabel: "reward",
                            marks: [.line(name: "reward", color: .purple, x: t, y: reward)], xDomain: x)
        let total = reward.filter(\.isFinite).reduce(0, +)
        return Figure(title: "Simulated trajectory", subtitle: "\(source) — \(t.count) steps, return \(String(format: "%.1f", total))",
                      panels: [angles, velocities, drive, rewards])
    }
}
