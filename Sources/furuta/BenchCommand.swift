import ArgumentParser
import CommandLogging
import Foundation
import MotorModel
import RobotDescription
import Simulation

/// `furuta bench …`: benchmarks that print their figures, each against a baseline measured in
/// the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure simulation, motor model, policy inference, training and the off-policy learner (figures against in-run baselines).",
        subcommands: [Sim.self, Motor.self, BenchPolicyCommand.self, BenchTrainCommand.self, BenchLearnerCommand.self, BenchSessionCommand.self]
    )

    struct Sim: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Raw mj_step vs the batched env (MuJoCo and analytic physics) at 1 and 2 threads; efficiency and allocations per step.")

        @OptionGroup var robotOptions: RobotOptions
        var robot: String { robotOptions.robot }
        @Option(help: "Envs in the batch.")
        var envs: Int = 64
        @Option(help: "Seconds per measurement.")
        var seconds: Double = 1.5
        @OptionGroup var output: OutputOptions
        var json: Bool { output.json }

        func validate() throws {
            try NumberRange.closed(1, 65_536).check("--envs", envs)
            try NumberRange.above(0, upTo: 3600).check("--seconds", seconds)
        }

        @OptionGroup var logging: LogLevelOptions

        func run() throws {
            logging.apply()
            let description = try loadRobot(robot)
            let template = try MuJoCoModel.load(mjcfPath: description.mjcfPath)
            let result = try SimulationBenchmark.run(
                robot: description.parameters, template: template, envs: envs, seconds: seconds,
                countAllocations: AllocationCounter.count)
            if json {
                printJSON(result)
            } else {
                print("""
                envs \(result.envs), \(result.substeps) physics steps per control step
                raw mj_step (1 thread)      \(Int(result.rawStepsPerSecond)) steps/s  (\(String(format: "%.2f", 1e6 / result.rawStepsPerSecond)) µs/step)
                env, 1 thread               \(Int(result.envStepsPerSecond1Thread)) physics steps/s
                env, 2 threads              \(Int(result.envStepsPerSecond2Threads)) physics steps/s  (×\(String(format: "%.2f", result.threadSpeedup)))
                efficiency                  \(String(format: "%.3f", result.efficiency))  (env 1 thread ÷ raw)
                allocations per env step    \(result.allocationsPerStep.map { String(format: "%.4f", $0) } ?? "not counted")
                analytic env, 1 thread      \(Int(result.analyticEnvStepsPerSecond1Thread)) physics steps/s  (×\(String(format: "%.1f", result.analyticEnvStepsPerSecond1Thread / result.envStepsPerSecond1Thread)) the MuJoCo env)
                analytic env, 2 threads     \(Int(result.analyticEnvStepsPerSecond2Threads)) physics steps/s
                analytic allocations/step   \(result.analyticAllocationsPerStep.map { String(format: "%.4f", $0) } ?? "not counted")
                """)
            }
        }
    }

    struct Motor: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Nanoseconds per motor-model evaluation and allocations, against an empty loop.")

        @OptionGroup var robotOptions: RobotOptions
        var robot: String { robotOptions.robot }
        @Option(help: "Evaluations per measurement.")
        var evaluations: Int = 20_000_000
        @OptionGroup var output: OutputOptions
        var json: Bool { output.json }

        func validate() throws { try NumberRange.closed(1, 1e10).check("--evaluations", evaluations) }

        @OptionGroup var logging: LogLevelOptions

        func run() throws {
            logging.apply()
            let description = try loadRobot(robot)
            let result = MotorBenchmark.run(motor: description.parameters.motor, evaluations: evaluations,
                                            countAllocations: AllocationCounter.count)
            if json {
                printJSON(result)
            } else {
                print("""
                baseline loop                    \(String(format: "%.2f", result.baselineNs)) ns/iteration
                MotorChain.step (duty → torque)  \(String(format: "%.2f", result.chainNs)) ns/evaluation
                compensatedDuty (action → duty)  \(String(format: "%.2f", result.compensationNs)) ns/evaluation
                allocations                      \(result.allocations) in \(result.evaluations) evaluations
                """)
            }
        }
    }
}

func printJSON<T: Encodable>(_ value: T) {
    if let text = try? JSONOutput.string(value) { print(text) }
}
