import PolicyFormat
import Simulation

/// Trainer → `.policy`: the mean network, the frozen normaliser and the action scaling the
/// trainer evaluates with, nothing re-derived. The MLP's flat parameters are already in
/// `DenseLayer`'s layout (W in×out row-major by input, then b), so the export copies numbers;
/// a file read back gives bit-identical actions to `PPOTrainer.deterministicAction` (tested).
public enum PolicyExport {
    public static func policyFile(mean: MLP, normalization: ObservationNormalization, actionScaling: ActionScaling,
                                  layout: ObservationLayout, robotIdentity: UInt64, robotName: String,
                                  controlRateHz: Double, notes: String = "") -> PolicyFile {
        PolicyFile(robotIdentity: robotIdentity, robotName: robotName, controlRateHz: controlRateHz,
                   observationLayout: layout, normalization: normalization, layers: mean.denseLayers,
                   actionScaling: actionScaling, notes: notes)
    }

    /// The sensor-to-actuation latency range the simulator trained with: the delay
    /// randomisation's [k_min, k_max] physics steps × the physics step (the nominal delay when
    /// randomisation is off).
    public static func trainedLatency(environment: EnvironmentConfig, physicsTimestepS dt: Double) -> TrainedLatency {
        let steps = environment.randomization?.delaySteps ?? environment.nominalDelaySteps...environment.nominalDelaySteps
        return TrainedLatency(minimumSeconds: Double(max(steps.lowerBound, 0)) * dt, maximumSeconds: Double(steps.upperBound) * dt)
    }
}
