import ArgumentParser
import Learning
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import RobotDescription
import Trainer

/// `furuta`: the offline tool — robot description checks, simulation, training, evaluation,
/// benchmarks and the twin.
@main
struct Furuta: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "furuta",
        abstract: "Train, evaluate and simulate policies for a Furuta pendulum.",
        version: FurutaVersion.text,
        subcommands: [RobotCommand.self, SimCommand.self, TrainCommand.self, EvalCommand.self, PolicyCommand.self, TwinCommand.self, SysidCommand.self,
                      BenchCommand.self, SweepCommand.self, PlotCommand.self, ViewCommand.self, LearnCommand.self]
    )

    static func main() {
        BLASCoreType.reexecuteWithPreferredCoreIfNeeded()
        // Line-buffered even when redirected, so `furuta twin > log` or a pipe shows each line
        // as it happens instead of in 4 kB blocks.
        setvbuf(stdout, nil, _IOLBF, 0)
        main(nil)
    }
}
