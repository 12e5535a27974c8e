import Foundation
import Learning
import PolicyFormat
import Testing

/// What a robot's log holds that a simulator run does not: a first running row written
/// before the pendulum's zero moved, and the safety layer taking over near the arm's limits.
@Suite struct RecordedEpisodeRobotRowsTests {
    static let layout = ObservationLayout(historyLength: 2, armCountsPerRevolution: 2048, pendulumCountsPerRevolution: 2048)
    static let scale = 2 * Double.pi / 2048

    /// A log line with raw counts, the angle columns given separately (in counts), and safety flags.
    static func line(_ tick: Int, rawArm: Int, rawPendulum: Int, armAngleCounts: Int, pendulumAngleCounts: Int,
                     action: Double, flags: Int = 0) -> String {
        "\(tick),\(Double(tick) * 0.01),1,1,0,0,running,3,1,\(10_000 * tick),\(rawArm),\(rawPendulum),"
            + String(format: "%.5f,%.5f", Double(armAngleCounts) * scale, Double(pendulumAngleCounts) * scale)
            + ",0.1,0.2,\(action),0,0,0,\(flags)"
    }

    static func csv(_ lines: [String]) -> String { ([RecordedEpisode.header] + lines).joined(separator: "\n") + "\n" }

    @Test func aFirstRowWrittenBeforeThePendulumZeroMovedGivesTheSameTransitionsAsACleanLog() throws {
        let arm = [0, 3, 9, 20, 26], pendulum = [0, 40, 120, 260, 400]
        let actions = [0.2, -0.4, 0.9, 0.1, 0.0]
        let clean = Self.csv(arm.indices.map {
            Self.line($0 + 1, rawArm: arm[$0], rawPendulum: pendulum[$0], armAngleCounts: arm[$0], pendulumAngleCounts: pendulum[$0], action: actions[$0])
        })
        // The robot: raw counts far from zero (three turns and a bit after earlier episodes, an arm
        // zero of 500), the first row's pendulum angle still relative to the raw zero.
        let armZero = 500, pendulumZero = 3 * 2048 + 17
        let robot = Self.csv(arm.indices.map {
            Self.line($0 + 1, rawArm: arm[$0] + armZero, rawPendulum: pendulum[$0] + pendulumZero, armAngleCounts: arm[$0],
                      pendulumAngleCounts: $0 == 0 ? pendulum[$0] + pendulumZero : pendulum[$0], action: actions[$0])
        })
        let expected = try RecordedEpisode.transitions(csv: clean, layout: Self.layout, task: SwingUpTask(), armLimit: 2)
        let got = try RecordedEpisode.transitions(csv: robot, layout: Self.layout, task: SwingUpTask(), armLimit: 2)
        #expect(got.count == 4)
        #expect(got.map(\.observation) == expected.map(\.observation))
        #expect(got.map(\.nextObservation) == expected.map(\.nextObservation))
        #expect(got.map(\.reward) == expected.map(\.reward))
        // The velocity features see no jump of three turns.
        #expect(got.allSatisfy { $0.observation.allSatisfy { abs($0) < 100 } })
    }

    @Test func aSafetyInterventionTerminatesWithThePenaltyAndTransitionsResumeWhenThePolicyDrivesAgain() throws {
        let flags = [0, 0, 16, 4, 0, 0, 0]
        let lines = flags.indices.map { k in
            Self.line(k + 1, rawArm: 10 * k, rawPendulum: 5 * k, armAngleCounts: 10 * k, pendulumAngleCounts: 5 * k,
                      action: 0.5, flags: flags[k])
        }
        let transitions = try RecordedEpisode.transitions(csv: Self.csv(lines), layout: Self.layout, task: SwingUpTask(), armLimit: 2)
        // 0→1 plain, 1→2 into the brake (terminated), 2 and 3 skipped, 4→5 plain, 5→6 truncated.
        #expect(transitions.map(\.terminated) == [false, true, false, false])
        #expect(transitions.map(\.truncated) == [false, false, false, true])
        #expect(transitions[1].reward < -9 && transitions[0].reward > -1)
        // Resumed observations are the controller's, whose builder ran on through the brake.
        let all = try RecordedEpisode.transitions(csv: Self.csv(flags.indices.map { k in
            Self.line(k + 1, rawArm: 10 * k, rawPendulum: 5 * k, armAngleCounts: 10 * k, pendulumAngleCounts: 5 * k, action: 0.5)
        }), layout: Self.layout, task: SwingUpTask(), armLimit: 2)
        #expect(transitions[2].observation == all[4].observation)
    }

    static func step(_ k: Int) -> RecordedEpisode.Step {
        let arm = Double(k) * scale, pendulum = Double(7 * k) * scale
        let flags: UInt8 = k == 3 ? 16 : 0
        return RecordedEpisode.Step(deviceTimeUs: Int64(10_000 * (k + 1)), armCounts: Int32(k), pendulumCounts: Int32(7 * k),
                                    armAngle: arm, pendulumAngle: pendulum, armVelocity: 0.25, pendulumVelocity: -1.5,
                                    action: 0.125 * Double(k), safetyFlags: flags)
    }

    @Test func theWriterWritesWhatTheReaderReads() throws {
        let steps: [RecordedEpisode.Step] = (0..<5).map(Self.step)
        let read = try RecordedEpisode.steps(csv: RecordedEpisode.csv(steps: steps))
        #expect(read.count == 5)
        #expect(read.map { $0.armCounts } == steps.map { $0.armCounts })
        #expect(read.map { $0.safetyFlags } == steps.map { $0.safetyFlags })
        #expect(read.map { $0.action } == steps.map { $0.action })
    }
}
