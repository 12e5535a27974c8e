import ArgumentParser
import RobotDescription

/// `furuta-controller`: the deployment binary. Never links MuJoCo.
@main
struct FurutaController: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "furuta-controller",
        abstract: "Deploy a policy on the Furuta pendulum (or its twin) inside safety limits.",
        version: FurutaVersion.text,
        subcommands: [RunCommand.self, CaptureCommand.self, BenchCommand.self, ProbeCommand.self, DevicesCommand.self, RehearseCommand.self, SessionCommand.self]
    )
}
