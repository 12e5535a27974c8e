import Controller
import Foundation
import MotorModel
import Testing

/// The session's I²t wear figure from an episode log: the applied duty and arm speed of every row.
@Suite struct WindingHeatTests {
    static func log(rows: Int, duty: Double, armSpeed: Double) -> String {
        var text = TelemetryCSV.header + "\n"
        for k in 0..<rows {
            var r = TickRecord()
            r.tick = Int64(k)
            r.deadlineNanoseconds = Int64(k) * 10_000_000
            r.dutyApplied = duty
            r.armVelocity = armSpeed
            text += TelemetryCSV.line(r)
        }
        return text
    }

    @Test func anEpisodeLogHeatsTheWindingAsTheMotorModelsCurrentSaysAndAnUnreadableOneLeavesItAlone() throws {
        let robot = try ControllerFixtures.robot().parameters
        let path = NSTemporaryDirectory() + "furuta-winding-\(UUID().uuidString).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 10 s held at duty 0.6 with the arm stalled.
        try Self.log(rows: 1001, duty: 0.6, armSpeed: 0).write(toFile: path, atomically: true, encoding: .utf8)
        let heat = WindingHeat.measure(EpisodeLogTable(csvPath: path), motor: robot.motor, start: WindingTemperature())
        var expected = WindingTemperature()
        for _ in 0..<1000 { expected.advance(duty: 0.6, armVelocityRadPerS: 0, seconds: 0.01, motor: robot.motor) }
        #expect(abs(heat.riseK - expected.riseK) < 1e-6 * max(1, expected.riseK))
        #expect(heat.riseK > 0)
        let i = WindingTemperature.current(duty: 0.6, armVelocityRadPerS: 0, robot.motor)
        #expect(abs(heat.currentSquaredSeconds - i * i * 10) < 1e-6 * i * i * 10)
        // The same duty with the arm at the no-load speed draws (almost) nothing.
        let free = robot.motor.supplyVoltageV * 0.6 / (robot.motor.backEmfVsPerRad * robot.motor.gearRatio)
        try Self.log(rows: 1001, duty: 0.6, armSpeed: free).write(toFile: path, atomically: true, encoding: .utf8)
        #expect(WindingHeat.measure(EpisodeLogTable(csvPath: path), motor: robot.motor, start: WindingTemperature()).riseK < 1e-3 * heat.riseK)
        #expect(WindingHeat.measure(EpisodeLogTable(csvPath: path + ".missing"), motor: robot.motor, start: heat) == heat)
    }
}
