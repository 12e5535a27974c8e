import ArgumentParser
import Learning

/// `furuta`: the offline tool — robot description checks, simulation, training, evaluation,
/// benchmarks and the twin.
@main
struct Furuta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "furuta",
        abstract: "Train, evaluate and simulate policies for a Furuta pendulum.",
        subcommands: [RobotCommand.self, SimCommand.self, TrainCommand.self, EvalCommand.self, PolicyCommand.self, TwinCommand.self,
                      BenchCommand.self, SweepCommand.self, PlotCommand.self, ViewCommand.self, LearnCommand.self]
    )

    static func main() {
        BLASCoreType.reexecuteWithPreferredCoreIfNeeded()
        main(nil)
    }
}
