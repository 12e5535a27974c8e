import Learning
import PolicyFormat
import Simulation

extension PolicyExport {
    /// The sensor-to-actuation latency range the simulator trained with: the delay
    /// randomisation's [k_min, k_max] physics steps (the nominal delay when randomisation is
    /// off), each standing for the latencies within half a physics step of k·dt — the simulator
    /// can only delay by whole steps, so a link of 4.3 ms is what it modelled as 2 steps of 2 ms:
    ///
    ///     [max(0, (k_min − ½)·dt), (k_max + ½)·dt]
    ///
    /// (Without the half steps a policy trained on the nominal robot would record 4–4 ms, a range
    /// no measured link falls into.)
    public static func trainedLatency(environment: EnvironmentConfig, physicsTimestepS dt: Double) -> TrainedLatency {
        let steps = environment.randomization?.delaySteps ?? environment.nominalDelaySteps...environment.nominalDelaySteps
        return TrainedLatency(minimumSeconds: max(0, (Double(steps.lowerBound) - 0.5) * dt),
                              maximumSeconds: (Double(max(steps.upperBound, 0)) + 0.5) * dt)
    }
}
