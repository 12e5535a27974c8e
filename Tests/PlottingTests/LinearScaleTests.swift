import Testing
@testable import Plotting

@Suite struct LinearScaleTests {
    @Test func ticksAreRoundNumbersInsideTheDomain() {
        let scale = LinearScale(domain: 0.13...9.7, range: 0...100)
        #expect(scale.ticks() == [2, 4, 6, 8])
        #expect(LinearScale(domain: 0...1, range: 0...1).ticks(count: 5) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    }

    @Test func yAxesRunUpwardsOnScreen() {
        let scale = LinearScale(domain: 0...10, range: 100...300, reversed: true)
        #expect(scale(0) == 300)
        #expect(scale(10) == 100)
        #expect(scale(5) == 200)
    }

    @Test func labelsCarryTheDecimalsTheStepNeeds() {
        let scale = LinearScale(domain: 0...1, range: 0...1)
        #expect(scale.label(0.4, count: 5) == "0.4")
        #expect(LinearScale(domain: 0...5000, range: 0...1).label(2000) == "2000")
    }

    @Test func aFlatSeriesStillGetsAnAxis() {
        let scale = LinearScale(domain: 3...3, range: 0...10)
        #expect(scale.domain.lowerBound < 3 && scale.domain.upperBound > 3)
    }
}
