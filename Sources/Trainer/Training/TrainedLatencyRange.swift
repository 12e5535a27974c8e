import Learning
import PolicyFormat
import Simulation

extension PolicyExport {
    /// The sensor-to-actuation latency range the simulator trained with: the delay
    /// randomisation's [k_min, k_max] physics steps × the physics step (the nominal delay when
    /// randomisation is off).
    public static func trainedLatency(environment: EnvironmentConfig, physicsTimestepS dt: Double) -> TrainedLatency {
        let steps = environment.randomization?.delaySteps ?? environment.nominalDelaySteps...environment.nominalDelaySteps
        return TrainedLatency(minimumSeconds: Double(max(steps.lowerBound, 0)) * dt, maximumSeconds: Double(steps.upperBound) * dt)
    }
}
