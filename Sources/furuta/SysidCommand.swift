import ArgumentParser

/// `furuta sysid`: fit robot.yaml to recordings of the robot, and check a fit on others.
struct SysidCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sysid",
        abstract: "System identification: fit robot.yaml parameters to recordings (CMA-ES in MuJoCo), validate a fit.",
        discussion: """
            Workflow: furuta-controller capture → furuta sysid fit → furuta sysid validate → furuta train --robot TUNED.yaml. \
            See docs/sysid.md.
            """,
        subcommands: [SysidFitCommand.self, SysidValidateCommand.self]
    )
}
