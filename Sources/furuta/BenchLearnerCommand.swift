import ArgumentParser
import CommandLogging
import Learning
import Simulation
import Trainer

/// `furuta bench learner`: the off-policy learner's gradient steps per second on one core at
/// the default sizes, allocations per step, the time per part, against plain sgemm.
struct BenchLearnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "learner",
        abstract: "Gradient updates per second of the off-policy learner (one BLAS thread), allocations per update, breakdown.",
        discussion: """
        Sizes come from the default training configuration (with --config/overrides applied), the
        observation size from its environment (history included). Baseline: sgemm on the
        critic's hidden product, measured in the same run.
        """)

    @OptionGroup var robotOptions: RobotOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "YAML file with training settings (sac.* keys are used).")
    var config: String?
    @Option(help: "Seconds of measurement.")
    var seconds: Double = 3
    @Argument(help: "Overrides as key.path=value, e.g. sac.batchSize=128.")
    var overrides: [String] = []

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let settings: TrainingConfig
        do {
            settings = try TrainingSettings.load(algorithm: nil, file: config, overrides: overrides)
        } catch { throw CommandFailure("\(error)") }
        let description = try loadRobot(robotOptions.robot)
        let layout = FurutaEnvironment.layout(for: description.parameters, config: settings.environment)
        let result = LearnerBenchmark.run(config: settings.sac, observationSize: layout.size, seconds: seconds,
                                          countAllocations: AllocationCounter.count)
        if output.json {
            printJSON(result)
            return
        }
        func f(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
        print("""
        SAC/DroQ learner, one BLAS thread: batch \(result.batchSize), observation \(result.observationSize), \
        actor \(result.actorHiddenWidths), \(result.criticCount) critics \(result.criticHiddenWidths), policy delay \(result.policyDelay)
        updates per second          \(f(result.updatesPerS, 0))   (\(result.updates) updates; \(f(result.updatesPerCpuS, 0)) per CPU-second, this thread got \(f(result.cpuShare * 100, 0)) % of a core)
        allocations per update      \(f(result.allocationsPerUpdate, 3))   (after warm-up)
        per update: critic \(f(result.criticUs)) µs, target \(f(result.targetUs)) µs; per actor step: actor \(f(result.actorUs)) µs, temperature \(f(result.temperatureUs)) µs
        matrix work                 \(f(result.gflopPerUpdate * 1e3, 2)) MFLOP per update, \(f(result.learnerGflops)) GFLOP/s
        baseline sgemm              \(f(result.sgemmGflops)) GFLOP/s on \(result.batchSize)×\(result.criticHiddenWidths.max() ?? 0)×\(result.criticHiddenWidths.max() ?? 0)
        exploration smoothness      mean |Δa| per step at σ = 0.5: coloured \(f(result.coloredNoiseMeanAbsDelta, 3)) vs i.i.d. \(f(result.whiteNoiseMeanAbsDelta, 3))
        """)
    }
}
