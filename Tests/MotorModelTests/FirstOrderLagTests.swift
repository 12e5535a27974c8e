import Foundation
import Testing
import MotorModel

@Suite struct FirstOrderLagTests {
    @Test func reaches63PercentInOneTimeConstant() {
        for steps in [1, 7, 100] {
            var lag = FirstOrderLag()
            let tau = 0.01
            for _ in 0..<steps { lag.advance(toward: 2, timeConstantS: tau, dtS: tau / Double(steps)) }
            #expect(abs(lag.value / 2 - (1 - exp(-1))) < 1e-12, "\(steps) steps")
        }
    }

    @Test func zeroTimeConstantPassesThrough() {
        var lag = FirstOrderLag()
        lag.advance(toward: 0.7, timeConstantS: 0, dtS: 0.002)
        #expect(lag.value == 0.7)
    }

    @Test func chainTorqueLagsTheDuty() {
        var chain = MotorChain(parameters: handMotor)
        let first = chain.step(duty: 1, armVelocityRadPerS: 0, dtS: 0.002)
        var last = first
        for _ in 0..<100 { last = chain.step(duty: 1, armVelocityRadPerS: 0, dtS: 0.002) }
        #expect(first > 0 && first < last)
        #expect(abs(last - handMotor.stallTorqueNm) < 1e-9)
        chain.reset()
        #expect(chain.lag.value == 0)
    }
}
