import Testing
import MotorModel
import PolicyFormat
import Learning
@testable import Simulation

/// The simulator applies the controller's stopping envelope (`StoppingEnvelope`, MotorModel) to
/// the duty it sends, with the controller's numbers (`StoppingEnvelopeLimits(robot:)`), so a
/// policy trained here meets on the robot the braking it met in training.
@Suite struct StoppingEnvelopeInSimulationTests {
    /// One simulated pendulum, driven directly (no auto-reset, so the end of an episode is seen).
    private final class Single {
        let env: PendulumEnv
        let observation: UnsafeMutableBufferPointer<Float>
        init(_ configure: (inout EnvironmentConfig) -> Void = { _ in }, robot: RobotParameters = Fixtures.robot,
             seed: UInt64 = 3) throws {
            var config = EnvironmentConfig()
            configure(&config)
            let layout = FurutaEnvironment.layout(for: robot, config: config)
            env = try PendulumEnv(template: Fixtures.template, nominal: robot, config: config, layout: layout, index: 0)
            observation = .allocate(capacity: layout.size)
            env.reset(seed: seed, episode: 0, observation: observation)
        }
        deinit { observation.deallocate() }
        func step(_ a: Double) -> (reward: Double, terminated: Bool, truncated: Bool) {
            env.step(action: a, observation: observation)
        }
    }

    /// Full action towards side `side` for `steps` control steps: the farthest |θ| reached,
    /// whether the episode ended by leaving the travel, and the envelope's braking steps.
    private func pushOutward(side: Double, steps: Int, seed: UInt64,
                             _ configure: (inout EnvironmentConfig) -> Void = { _ in }) throws
        -> (farthest: Double, terminated: Bool, braking: Int) {
        let single = try Single(configure, seed: seed)
        var farthest = 0.0, terminated = false
        for _ in 0..<steps {
            let result = single.step(side)
            farthest = max(farthest, abs(single.env.physics.armAngle))
            if result.terminated { terminated = true; break }
        }
        return (farthest, terminated, single.env.brakingSteps)
    }

    /// Under the default randomisation (physics and 0–10 ms delay), the worst policy — full
    /// duty outward from rest — is braked at the soft limit as the controller brakes it on the
    /// robot: within θ_lim + 0.1 rad, the bound the controller's twin test holds it to (its
    /// θ_lim + 0.05 from rest is for the nominal arm; these physics are randomised). An episode
    /// may still end there (the simulator ends it just past θ_lim, stricter than the robot).
    @Test func fullOutwardActionIsBrakedAtTheSoftLimitOnBothSides() throws {
        let limit = Fixtures.robot.arm.softLimitRad
        var worst = 0.0, ended = 0
        for seed: UInt64 in 1...8 {
            for side in [1.0, -1.0] {
                let result = try pushOutward(side: side, steps: 300, seed: seed)
                worst = max(worst, result.farthest)
                if result.terminated { ended += 1 }
                #expect(result.farthest < limit + 0.1, "seed \(seed), side \(side): reached \(result.farthest) rad")
                #expect(result.farthest > limit - 0.5, "seed \(seed), side \(side): the push reaches the limit region (\(result.farthest))")
                #expect(result.braking > 0, "seed \(seed), side \(side): braked")
            }
        }
        print("full outward action under randomisation, 16 episodes: farthest \(worst) rad, \(ended) ended past θ_lim")
    }

    /// The same push with the envelope switched off runs far past the bound: the braking above
    /// is the envelope's doing.
    @Test func withoutTheEnvelopeTheSamePushLeavesTheTravel() throws {
        for side in [1.0, -1.0] {
            let result = try pushOutward(side: side, steps: 300, seed: 3) { $0.stoppingEnvelope = false }
            #expect(result.terminated)
            #expect(result.braking == 0)
        }
    }

    /// Step by step, the duty that reaches the motor is what an envelope of the controller's
    /// numbers, fed the angle from the same encoder counts at the same sample times, decides.
    /// (500 Hz control on 2 ms physics, no delay, no noise: each step's applied duty is visible.)
    @Test func appliedDutyIsTheEnvelopesDecisionOnTheSampledCounts() throws {
        var robot = Fixtures.robot
        robot.control.rateHz = 500
        let single = try Single({ $0.randomization = nil; $0.nominalDelaySteps = 0; $0.encoderNoiseCounts = 0 },
                                robot: robot, seed: 1)
        var reference = StoppingEnvelope(limits: StoppingEnvelopeLimits(robot: robot), periodSeconds: robot.control.periodS)
        let periodUs = UInt64((robot.control.periodS * 1e6).rounded())
        let radiansPerCount = 2 * Double.pi / Double(robot.arm.encoderCountsPerRevolution)
        func sampledAngle() -> Double {
            Double(robot.arm.encoderCounts(forAngleRad: single.env.physics.armAngle)) * radiansPerCount
        }
        reference.observe(angle: sampledAngle(), deviceMicroseconds: 0)
        var acted = 0
        for k in 0..<400 {
            // Out, back, out again: brakes on the way out, passes duty on the way in.
            let a = (k / 120) % 2 == 0 ? 1.0 : -1.0
            let (expected, action) = reference.decide(duty: compensatedDuty(action: a, robot.motor))
            if action != .none { acted += 1 }
            _ = single.step(a)
            #expect(single.env.lastAppliedDuty == expected, "step \(k)")
            reference.observe(angle: sampledAngle(), deviceMicroseconds: UInt64(k + 1) * periodUs)
        }
        #expect(acted > 0, "the envelope acted")
        #expect(single.env.brakingSteps + single.env.blockedSteps == acted)
    }

    /// `task.envelopePenalty` is taken off the reward of exactly the steps the envelope acted in.
    @Test func envelopePenaltyIsPaidOnTheStepsTheEnvelopeActs() throws {
        func rewards(_ penalty: Double) throws -> (rewards: [Double], acted: [Int]) {
            let single = try Single({ $0.task.envelopePenalty = penalty }, seed: 9)
            var out: [Double] = [], acted: [Int] = []
            var before = 0
            for _ in 0..<200 {
                out.append(single.step(1).reward)
                let now = single.env.brakingSteps + single.env.blockedSteps
                acted.append(now - before)
                before = now
            }
            return (out, acted)
        }
        let free = try rewards(0), paid = try rewards(0.5)
        #expect(free.acted == paid.acted)
        #expect(free.acted.reduce(0, +) > 10)
        for k in free.rewards.indices {
            #expect(abs(free.rewards[k] - paid.rewards[k] - 0.5 * Double(free.acted[k])) < 1e-9, "step \(k)")
        }
    }
}
