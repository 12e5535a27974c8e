import ArgumentParser
import CommandLogging
import Foundation
import RegularFiles
import RobotDescription
import Trainer

/// `furuta sysid fit`: CMA-ES then Levenberg–Marquardt over chosen robot.yaml parameters, every candidate replayed in
/// MuJoCo with the recordings' own duties; writes the tuned robot.yaml and a report.
struct SysidFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit robot.yaml parameters to recordings; write the tuned robot.yaml and a report.",
        discussion: """
            --params takes robot.yaml keys, each optionally with bounds KEY=LOW:HIGH (default: a factor 2 either way, \
            or nominal ± a width for values that may be zero, pulled in to what robot.yaml's schema allows).
            Default --params: \(FittableParameters.defaultKeys.joined(separator: ","))
            Example: furuta sysid fit --recording chirp.rec --recording release.rec --out tuned.yaml --report sysid-report
            """
    )

    @Option(help: "robot.yaml the recordings were captured with (default: the bundled robot).")
    var robot: String?

    @Option(parsing: .singleValue, help: "A recording from `furuta-controller capture` (repeatable).")
    var recording: [String] = []

    @Option(help: "Comma-separated robot.yaml keys to fit, each optionally KEY=LOW:HIGH.")
    var params: String?

    @Option(help: "The tuned robot.yaml to write.")
    var out: String

    @Option(help: "Directory for report.json, report.md and the plots.")
    var report: String?

    @Option(help: "Most CMA-ES generations (0: Levenberg–Marquardt from the nominal values only).")
    var generations = 200

    @Option(help: "Share of --time-budget CMA-ES may use before Levenberg–Marquardt refines its best point.")
    var globalShare = 0.15

    @Option(help: "Most Levenberg–Marquardt iterations after CMA-ES (0: CMA-ES only).")
    var refinementIterations = 40

    @Option(help: "Seconds for the search and the uncertainty analysis together.")
    var timeBudget = 50.0

    @Option(help: "CMA-ES population λ (default 4 + ⌊3 ln n⌋).")
    var population: Int?

    @Option(help: "Worker threads replaying candidates (default: the number of cores).")
    var threads: Int?

    @Option(help: "Replays restart from the recorded state every this many seconds.")
    var segmentSeconds = 2.0

    @Option(help: "Each recording is cut into this many parts, and a parameter is identifiable only when two parts pin it by themselves and agree.")
    var partsPerRecording = 2

    @Option(help: "Seed of the search.")
    var seed: UInt64 = 0x5151_D000

    @Flag(help: "Print the report summary as JSON on stdout.")
    var json = false

    func validate() throws {
        guard !recording.isEmpty else { throw ValidationError("give at least one --recording FILE (from furuta-controller capture)") }
        guard generations >= 0 else { throw ValidationError("--generations must be 0 or more") }
        guard refinementIterations >= 0 else { throw ValidationError("--refinement-iterations must be 0 or more") }
        guard generations + refinementIterations >= 1 else {
            throw ValidationError("--generations 0 needs --refinement-iterations of at least 1: nothing would search")
        }
        guard globalShare > 0, globalShare <= 1 else { throw ValidationError("--global-share takes a fraction in (0, 1]") }
        guard timeBudget > 0 else { throw ValidationError("--time-budget takes positive seconds") }
        guard segmentSeconds >= 0.2 else { throw ValidationError("--segment-seconds must be at least 0.2") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard partsPerRecording >= 1 else { throw ValidationError("--parts-per-recording must be at least 1") }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        do { try RegularFile.checkReplaceable(out) } catch { throw CommandFailure("--out \(error)") }
        let description = try loadRobot(robot ?? RobotDescriptionDefault.path)
        var request = SystemIdentification.FitRequest(description: description, recordingPaths: recording)
        if let params { request.parameterItems = params.split(separator: ",").map(String.init) }
        request.options.maxGenerations = generations
        request.options.timeBudgetSeconds = timeBudget
        request.options.globalBudgetFraction = globalShare
        request.options.refinementIterations = refinementIterations
        request.options.populationSize = population
        request.options.seed = seed
        request.segmentSeconds = segmentSeconds
        request.partsPerRecording = partsPerRecording
        if let threads { request.threads = threads }
        let outcome: SystemIdentification.FitOutcome
        do {
            outcome = try SystemIdentification.fit(request) { p in
                let line = "\rsysid: \(p.stage) " + String(format: "%d/%d  best loss %.4g rad²  %.1f s elapsed  ETA %.0f s   ",
                                  p.generation, p.maxGenerations, p.bestLoss, p.elapsedSeconds, p.etaSeconds)
                FileHandle.standardError.write(Data(line.utf8))
            }
        } catch {
            throw CommandFailure(error.description)
        }
        FileHandle.standardError.write(Data("\n".utf8))
        // Atomic, and never over a device, FIFO or directory (`--out /dev/null` is refused).
        do { try RegularFile.write(outcome.tunedText, to: out) } catch {
            throw CommandFailure("cannot write --out \(out): \(error)")
        }
        if let report {
            do { try FitReport.write(outcome, recordingPaths: recording, nominal: description.parameters, to: report) } catch {
                throw CommandFailure(error.description)
            }
        }
        let summary = FitReport.summary(outcome, recordingPaths: recording)
        if json {
            print(try JSONOutput.string(summary))
            return
        }
        let f = TunedDescription.format
        print("loss \(f(summary.lossBefore)) → \(f(summary.lossAfter)) rad² over \(String(format: "%.1f", summary.recordingSeconds)) s of recordings; "
              + "\(summary.generations) CMA-ES generations and \(summary.refinementIterations) Levenberg–Marquardt iterations in \(String(format: "%.1f", summary.fitSeconds)) s on \(summary.threads) threads (\(summary.stopReason))")
        for p in summary.parameters {
            let change = p.nominal != 0 ? String(format: "%+.1f%%", 100 * (p.fitted / p.nominal - 1)) : ""
            print("  \(p.key.padding(toLength: 40, withPad: " ", startingAt: 0)) \(f(p.nominal)) → \(f(p.fitted)) ± \(p.uncertainty.map(f) ?? "∞") \(change)"
                  + (p.identifiable ? "" : "   NOT IDENTIFIABLE: \(p.reason ?? "")"))
        }
        print("wrote \(out)" + (report.map { " and \($0)/report.md" } ?? ""))
    }
}
