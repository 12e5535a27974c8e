import Foundation
import Testing

/// Ctrl-C typed in a real terminal during `furuta train` stops after the current iteration,
/// saves a checkpoint, and `--resume` continues from it (README's promise).
@Suite struct TrainInterruptTests {
    /// A small, quick run: few envs, no evaluation before the interrupt.
    static let quick = ["environment.count=16", "evaluation.everyIterations=100000", "maxSeconds=300"]

    @Test func ctrlCInATerminalSavesACheckpointAndResumeContinues() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("ctrl-c-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let furuta = BuiltBinaries.path("furuta")

        let first = try TerminalSession(furuta, ["train", "--out", out] + Self.quick)
        // The live progress line shows the first iteration: training is under way.
        #expect(first.read(until: { $0.contains("iter") }, seconds: 120), "no progress line: \(first.output)")
        first.interrupt()
        let ended = first.waitForExit(seconds: 120)
        #expect(!ended.timedOut, "still running 120 s after Ctrl-C: \(first.output)")
        #expect(!ended.signalled, "killed by signal \(ended.status - 128): \(first.output)")
        #expect(ended.status == 0, "exit \(ended.status): \(first.output)")
        #expect(first.output.contains("stopped:"), "\(first.output)")
        let checkpoints = (try? FileManager.default.contentsOfDirectory(atPath: out + "/checkpoints")) ?? []
        #expect(checkpoints.contains { $0.hasSuffix(".json") }, "no checkpoint after Ctrl-C: \(checkpoints)")

        let second = try TerminalSession(furuta, ["train", "--resume", out])
        #expect(second.read(until: { $0.contains("iter") }, seconds: 120), "resume made no progress: \(second.output)")
        second.interrupt()
        let resumed = second.waitForExit(seconds: 120)
        #expect(!resumed.signalled && resumed.status == 0, "resume exit \(resumed.status): \(second.output)")
        #expect(!second.output.contains("no checkpoints"), "\(second.output)")
    }
}
