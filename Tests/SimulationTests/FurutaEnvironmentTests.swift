import Foundation
import Testing
import MotorModel
import PolicyFormat
import Learning
@testable import Simulation

@Suite struct FurutaEnvironmentTests {
    func makeEnv(_ configure: (inout EnvironmentConfig) -> Void = { _ in },
                 robot: RobotParameters = Fixtures.robot) throws -> FurutaEnvironment {
        var config = EnvironmentConfig()
        config.count = 4
        config.threads = 1
        configure(&config)
        return try FurutaEnvironment(robot: robot, template: Fixtures.template, config: config)
    }

    /// Run `steps` control steps with actions from `policy(step, env)`; return every observation,
    /// reward and flag.
    func rollout(_ env: FurutaEnvironment, seed: UInt64, steps: Int,
                 policy: (Int, Int) -> Float = { t, i in Float(sin(Double(t) * 0.07 + Double(i))) })
        -> (obs: [Float], rewards: [Float], flags: [UInt8]) {
        env.reset(seed: seed)
        var obs = Array(env.observations), rewards: [Float] = [], flags: [UInt8] = []
        var actions = [Float](repeating: 0, count: env.count)
        for t in 0..<steps {
            for i in 0..<env.count { actions[i] = policy(t, i) }
            actions.withUnsafeBufferPointer { env.step(actions: $0) }
            obs += env.observations
            rewards += env.rewards
            flags += env.terminated
            flags += env.truncated
        }
        return (obs, rewards, flags)
    }

    @Test func resultsAreIdenticalForOneAndTwoThreads() throws {
        let one = rollout(try makeEnv { $0.count = 7; $0.threads = 1; $0.task.episodeSeconds = 0.5 }, seed: 42, steps: 120)
        let two = rollout(try makeEnv { $0.count = 7; $0.threads = 2; $0.task.episodeSeconds = 0.5 }, seed: 42, steps: 120)
        #expect(one.obs == two.obs)
        #expect(one.rewards == two.rewards)
        #expect(one.flags == two.flags)
        let other = rollout(try makeEnv { $0.count = 7; $0.threads = 2; $0.task.episodeSeconds = 0.5 }, seed: 43, steps: 120)
        #expect(other.obs != two.obs)
    }

    @Test func actionIsDelayedByExactlyKPhysicsSteps() throws {
        // One physics step per control step (500 Hz control, 2 ms physics), so the applied duty
        // seen after each control step is the duty of exactly one physics step.
        var robot = Fixtures.robot
        robot.control.rateHz = 500
        for k in 0...3 {
            let env = try makeEnv({ $0.randomization = nil; $0.nominalDelaySteps = k; $0.count = 1 }, robot: robot)
            env.reset(seed: 1)
            var applied: [Double] = []
            for t in 0..<8 {
                let action: [Float] = [t >= 2 ? 0.5 : 0]
                action.withUnsafeBufferPointer { env.step(actions: $0) }
                applied.append(env.lastAppliedDuty(of: 0))
            }
            let commanded = compensatedDuty(action: 0.5, robot.motor)
            let firstChange = applied.firstIndex { $0 == commanded }
            #expect(firstChange == 2 + k, "delay \(k): applied \(applied)")
            // Before it: zeros from the reset's empty delay line, then the duty for action 0.
            let idle = compensatedDuty(action: 0, robot.motor)
            #expect(applied[..<(2 + k)].allSatisfy { $0 == 0 || $0 == idle })
        }
    }

    @Test func randomizedDelayStaysInItsRange() throws {
        let env = try makeEnv { $0.count = 32; $0.randomization?.delaySteps = 1...3 }
        env.reset(seed: 5)
        let delays = Set((0..<32).map { env.delaySteps(of: $0) })
        #expect(delays.isSubset(of: [1, 2, 3]))
        #expect(delays.count > 1)
    }

    @Test func observationsAreQuantisedToEncoderCounts() throws {
        let env = try makeEnv { $0.randomization = nil; $0.historyLength = 0; $0.encoderNoiseCounts = 0 }
        let layout = env.observationLayout
        _ = rollout(env, seed: 3, steps: 37)
        let armStep = 2 * Double.pi / Double(layout.armCountsPerRevolution)
        for i in 0..<env.count {
            let theta = Double(env.observations[i * layout.size])
            let counts = theta / armStep
            #expect(abs(counts - counts.rounded()) < 1e-3, "θ = \(theta) is not a whole number of counts")
            let truth = env.state(of: i).armAngle
            #expect(abs(theta - truth) <= armStep / 2 + 1e-6)
        }
    }

    @Test func historyHoldsPreviousObservationsAndActionsNewestFirst() throws {
        let env = try makeEnv { $0.randomization = nil; $0.historyLength = 3; $0.count = 1 }
        let size = env.observationSize, features = env.observationLayout.features.count
        env.reset(seed: 9)
        var observed: [[Float]] = [Array(env.observations)]
        let actions: [Float] = [0.3, -0.6, 0.9, -0.2]
        for a in actions {
            [a].withUnsafeBufferPointer { env.step(actions: $0) }
            observed.append(Array(env.observations))
        }
        let last = observed[4]
        #expect(last.count == size)
        for j in 1...3 {
            let slot = features + (j - 1) * (features + 1)
            #expect(Array(last[slot..<(slot + features)]) == Array(observed[4 - j][0..<features]), "slot \(j) features")
            #expect(last[slot + features] == actions[4 - j], "slot \(j) action")
        }
        // Right after reset the history repeats the first observation with zero action.
        let first = observed[0]
        #expect(Array(first[features..<(2 * features)]) == Array(first[0..<features]))
        #expect(first[2 * features] == 0)
    }

    @Test func timeLimitTruncatesAndHandsOutTheFinalObservation() throws {
        let env = try makeEnv { $0.task.episodeSeconds = 0.2; $0.randomization = nil }
        env.reset(seed: 4)
        let zero = [Float](repeating: 0, count: env.count)
        var lastObservation: [Float] = []
        for t in 0..<20 {
            lastObservation = Array(env.observations)
            zero.withUnsafeBufferPointer { env.step(actions: $0) }
            let truncated = env.truncated.allSatisfy { $0 == 1 }
            #expect(env.terminated.allSatisfy { $0 == 0 })
            #expect(truncated == (t == 19), "step \(t)")
        }
        // After the truncation the envs restarted: step count is 0 and the observation is new,
        // while finalObservations holds the ended episode's last observation, which follows on
        // from the one before it (history slot 1 equals the previous features).
        let size = env.observationSize, features = env.observationLayout.features.count
        for i in 0..<env.count {
            #expect(env.stepCount(of: i) == 0)
            let final = Array(env.finalObservations[(i * size)..<((i + 1) * size)])
            #expect(Array(final[features..<(2 * features)]) == Array(lastObservation[(i * size)..<(i * size + features)]))
        }
    }

    @Test func leavingTheArmTravelTerminatesWithoutTruncation() throws {
        // Without the stopping envelope, which otherwise brakes this push before the limit
        // (StoppingEnvelopeInSimulationTests): here the arm must get out.
        let env = try makeEnv { $0.randomization = nil; $0.stoppingEnvelope = false }
        env.reset(seed: 4)
        let full = [Float](repeating: 1, count: env.count)
        var terminatedAt: Int?
        for t in 0..<200 where terminatedAt == nil {
            full.withUnsafeBufferPointer { env.step(actions: $0) }
            if env.terminated[0] == 1 {
                terminatedAt = t
                #expect(env.truncated[0] == 0)
                #expect(env.rewards[0] < -5)
                // The final observation shows the arm at its limit; the new episode starts centred.
                #expect(Double(env.finalObservations[0]) > Fixtures.robot.arm.softLimitRad - 0.2)
                #expect(abs(env.observations[0]) < 0.01)
            }
        }
        #expect(terminatedAt != nil)
    }

    @Test func uprightScoresHigherThanHanging() {
        let task = SwingUpTask()
        let up = task.reward(armAngle: 0, armLimit: 2, pendulumAngle: .pi, armVelocity: 0, action: 0)
        let down = task.reward(armAngle: 0, armLimit: 2, pendulumAngle: 0, armVelocity: 0, action: 0)
        #expect(up == 1 && down == 0)
        #expect(SwingUpTask.isUpright(pendulumAngle: -Double.pi + 0.1))
        #expect(SwingUpTask.isUpright(pendulumAngle: 3 * Double.pi - 0.19))
        #expect(!SwingUpTask.isUpright(pendulumAngle: Double.pi - 0.25))
    }

    @Test func randomizationChangesPhysicsPerEpisodeWithinRanges() throws {
        let env = try makeEnv { $0.count = 16 }
        env.reset(seed: 11)
        let nominal = Fixtures.robot
        let masses = (0..<16).map { env.episodeRobot(of: $0).pendulum.massKg / nominal.pendulum.massKg }
        #expect(Set(masses).count > 8)
        #expect(masses.allSatisfy { $0 >= 0.85 - 1e-12 && $0 <= 1.15 + 1e-12 })
    }
}
