import Foundation
import Testing
import MotorModel
import Simulation

@Suite struct PendulumPhysicsTests {
    /// Mean period from upward zero crossings of the pendulum angle, linearly interpolated.
    func measuredPeriod(_ physics: PendulumPhysics, seconds: Double) throws -> Double {
        var crossings: [Double] = []
        var previous = physics.pendulumAngle, previousTime = physics.time
        while physics.time < seconds {
            try physics.step(duty: 0)
            let angle = physics.pendulumAngle
            if previous < 0 && angle >= 0 {
                crossings.append(previousTime + (physics.time - previousTime) * (-previous) / (angle - previous))
            }
            previous = angle
            previousTime = physics.time
        }
        #expect(crossings.count >= 5)
        return (crossings.last! - crossings.first!) / Double(crossings.count - 1)
    }

    @Test func freeSwingPeriodMatchesLinearisedTheoryWithArmFree() throws {
        let robot = Fixtures.lossless
        let physics = try PendulumPhysics(template: Fixtures.template, robot: robot)
        try physics.reset(pendulumAngle: 0.02)
        let theory = 2 * Double.pi / robot.coupledNaturalFrequencyRadPerS
        let period = try measuredPeriod(physics, seconds: 5)
        #expect(abs(period - theory) / theory < 0.02, "period \(period) s, theory \(theory) s")
    }

    @Test func freeSwingPeriodMatchesLinearisedTheoryWithArmHeld() throws {
        var robot = Fixtures.lossless
        robot.arm.rotorInertiaKgM2 = 1e3 // reflected inertia so large the arm cannot move
        let physics = try PendulumPhysics(template: Fixtures.template, robot: robot)
        try physics.reset(pendulumAngle: 0.02)
        let theory = 2 * Double.pi / robot.pendulumNaturalFrequencyRadPerS
        let period = try measuredPeriod(physics, seconds: 5)
        #expect(abs(period - theory) / theory < 0.02, "period \(period) s, theory \(theory) s")
    }

    @Test func energyIsConservedWithoutLosses() throws {
        let physics = try PendulumPhysics(template: Fixtures.template, robot: Fixtures.lossless)
        try physics.reset(pendulumAngle: 2.0) // large swing, far from linear
        let initial = physics.energy
        // Energy relative to the hanging rest state, so the percentage is of the swing's energy.
        try physics.reset()
        let rest = physics.energy
        try physics.reset(pendulumAngle: 2.0)
        var worst = 0.0
        while physics.time < 10 {
            try physics.step(duty: 0)
            worst = max(worst, abs(physics.energy - initial))
        }
        let swing = initial - rest
        #expect(worst / swing < 0.005, "energy drift \(worst / swing * 100) % of \(swing) J")
    }

    @Test func frictionAndDampingDrainEnergy() throws {
        let physics = try PendulumPhysics(template: Fixtures.template, robot: Fixtures.robot)
        try physics.reset(pendulumAngle: 1.0)
        let initial = physics.energy
        while physics.time < 3 { try physics.step(duty: 0) }
        #expect(physics.energy < initial)
    }

    @Test func positiveDutyTurnsTheArmPositive() throws {
        let physics = try PendulumPhysics(template: Fixtures.template, robot: Fixtures.robot)
        try physics.reset()
        for _ in 0..<50 { try physics.step(duty: 0.5) }
        #expect(physics.armVelocity > 1)
        #expect(physics.armAngle > 0)
    }

    @Test func brokenModelPathGivesMuJoCosMessage() {
        #expect {
            _ = try MuJoCoModel.load(mjcfPath: "/nonexistent/furuta.xml")
        } throws: { error in
            "\(error)".contains("/nonexistent/furuta.xml") && "\(error)".lowercased().contains("file")
        }
    }

    @Test func malformedModelFileGivesMuJoCosMessage() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID()).xml").path
        try "<mujoco><worldbody><body><joint type='hinge' axis='0 0'/></body></worldbody>".write(
            toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect {
            _ = try MuJoCoModel.load(mjcfPath: path)
        } throws: { error in
            let text = "\(error)"
            print("MuJoCo said: \(text)")
            return text.contains("MuJoCo could not load") && text.count > path.count + 30
        }
    }
}

@Suite struct MuJoCoErrorGuardTests {
    @Test func fatalMuJoCoErrorReturnsInsteadOfExiting() {
        // mju_error would print and exit(1) with MuJoCo's default handler; reaching the next
        // line at all shows the guard took over.
        #expect(mujocoErrorGuardCatches("deliberate failure for the test"))
        #expect(mujocoErrorGuardCatches("a second one, to show the guard re-arms"))
    }
}
