import Learning
import PolicyFormat
import Simulation
import Testing
import Trainer

/// The latency range a trained policy records: its delay steps, each half a physics step wide.
@Suite struct TrainedLatencyRangeTests {
    @Test func aNominalRunsFixedDelayRecordsTheLatenciesWithinHalfAStepOfIt() {
        var environment = EnvironmentConfig()
        environment.randomization = nil
        environment.nominalDelaySteps = 2
        let range = PolicyExport.trainedLatency(environment: environment, physicsTimestepS: 0.002)
        #expect(abs(range.minimumSeconds - 0.003) < 1e-12 && abs(range.maximumSeconds - 0.005) < 1e-12)
        // A real link near robot.yaml's 4 ms fits; the nominal point 4–4 ms never would.
        #expect(range.contains(0.0042) && !range.contains(0.0055))
    }

    @Test func aRandomisedDelayFromZeroStartsAtZero() {
        var environment = EnvironmentConfig()
        environment.randomization = DomainRandomization()
        environment.randomization?.delaySteps = 0...5
        let range = PolicyExport.trainedLatency(environment: environment, physicsTimestepS: 0.002)
        #expect(range.minimumSeconds == 0 && abs(range.maximumSeconds - 0.011) < 1e-12)
    }
}
