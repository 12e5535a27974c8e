import ArgumentParser
import CommandLogging
import Foundation

/// `furuta sweep`: a hyperparameter study (or one configuration over many seeds) on Optuna.
///
/// Thin on purpose: it finds the Python driver (`furuta_sweep`, see `SweepDriver`) and replaces
/// itself with `python3 -m furuta_sweep --furuta <this executable> <the flags>`. Being replaced
/// (exec, not a child) keeps signals simple: killing the `furuta sweep` process kills the
/// worker, whose trainer child then gets SIGTERM from the kernel (PR_SET_PDEATHSIG).
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Tune training settings with Optuna, on one machine or many.",
        discussion: """
        Each trial is `furuta train` with overrides sampled from --space (configs/sweeps/*.yaml), \
        a budget of --trial-seconds, and its run folder kept in OUT/trials/trial-NNNN. Objective: \
        time to success (penalised when not reached), with the final randomised success rate \
        (--final-episodes, --min-final-success) as a constraint; the median pruner stops trials \
        whose in-run evaluations lag.

        Start the same command on several machines with a PostgreSQL --storage to share one \
        study; a killed worker's trial is failed (never counted) and retried.

        Results: OUT/trials.csv, trials.md, objective.svg, importances.svg and best.yaml (for \
        `furuta train --config`). --seeds N --config FILE runs one configuration over N seeds \
        instead, with median, spread and worst in OUT/seeds.md.

        Needs Python 3 with the packages of scripts/requirements-test.txt. Details: docs/sweeps.md.
        Example:
          furuta sweep --study ppo --space configs/sweeps/ppo-swingup.yaml --trials 30 --trial-seconds 120
        """)

    @Option(help: "Optuna storage: sqlite:///FILE.db (default OUT/study.db) or postgresql://USER@HOST:PORT/DB.")
    var storage: String?
    @Option(help: "Study name; workers with the same storage and name share the study.")
    var study: String
    @Option(help: "Search space YAML (see configs/sweeps/); not with --seeds.")
    var space: String?
    @Option(help: "Counted (complete or pruned) trials the study ends with.")
    var trials: Int = 20
    @Option(help: "Results and trial run folders (default runs/sweeps/STUDY).")
    var out: String?
    @Option(help: "Training budget of each trial, seconds (the trial's maxSeconds).")
    var trialSeconds: Double?
    @Option(help: "Base training config under the overrides; in --seeds mode, the configuration to run.")
    var config: String?
    @Option(help: "Robot description passed to furuta train and eval.")
    var robot: String?
    @Option(help: "Seeds mode: run --config over these seeds (a count 5, a list 1,2,3 or a range 10-14).")
    var seeds: String?
    @Option(help: "Seeds mode: the algorithm of --config (default ppo).")
    var algorithm: String?
    @Option(help: "Seeds mode: the configuration key of the seed (default ALGORITHM.seed).")
    var seedKey: String?
    @Option(help: "time (seconds to success, the default) or steps (env steps to success: alike on unlike machines).")
    var objective: String?
    @Option(help: "Randomised episodes of each trial's final evaluation.")
    var finalEpisodes: Int?
    @Option(help: "Constraint: the final randomised success rate a trial must reach (0–1).")
    var minFinalSuccess: Double?
    @Option(help: "median (stop trials whose evaluations lag the median) or none.")
    var pruner: String?
    @Option(help: "Trials before the sampler models and the pruner prunes.")
    var startupTrials: Int?
    @Option(help: "Report the latest evaluation to the pruner every this many seconds of training.")
    var reportSeconds: Int?
    @Option(help: "Worker heartbeat, seconds; a trial silent for 3× this is failed and retried.")
    var heartbeatSeconds: Int?
    @Option(help: "Retries of a trial whose worker died.")
    var retries: Int?
    @Option(help: "Seed of the sampler.")
    var samplerSeed: Int?

    /// The flags again, for the driver (which parses and checks them itself: it also runs alone).
    var driverArguments: [String] {
        var arguments = ["--study", study, "--trials", String(trials)]
        func add(_ flag: String, _ value: CustomStringConvertible?) {
            if let value { arguments += [flag, value.description] }
        }
        add("--storage", storage); add("--space", space); add("--out", out)
        add("--trial-seconds", trialSeconds); add("--config", config); add("--robot", robot)
        add("--seeds", seeds); add("--algorithm", algorithm); add("--seed-key", seedKey)
        add("--objective", objective); add("--final-episodes", finalEpisodes); add("--min-final-success", minFinalSuccess)
        add("--pruner", pruner); add("--startup-trials", startupTrials); add("--report-seconds", reportSeconds)
        add("--heartbeat-seconds", heartbeatSeconds); add("--retries", retries); add("--sampler-seed", samplerSeed)
        return arguments
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let driver = try SweepDriver.locate()
        let executable = try SweepDriver.currentExecutable()
        try driver.exec(arguments: ["--furuta", executable] + driverArguments)
    }
}
