import Foundation
import TensorBoard
import Testing

/// `furuta train` leaves event files that TensorBoard's own reader loads, holding every number
/// of metrics.csv — also after a resume, where the rows after the checkpoint are rewritten. The
/// screening's goal is 0 so every evaluation passes it and runs the confirmation, a text.
@Suite struct TrainTensorBoardTests {
    static let tinyRun = """
        environment: { count: 4, threads: 2, task: { episodeSeconds: 0.3 } }
        ppo: { stepsPerEnvironment: 8, minibatches: 2, epochs: 2, hiddenWidths: [16, 16] }
        evaluation: { everyIterations: 2, successRate: 0, confirmationEpisodes: 2,
                      settings: { episodes: 2, episodeSeconds: 0.4, holdSeconds: 0.2 } }
        stopAtSuccess: false
        """

    @Test func tensorBoardShowsEveryMetricsColumnAfterAResume() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("train-tb-\(UUID())")
        let config = dir.appendingPathExtension("yaml")
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: config) }
        try Self.tinyRun.write(to: config, atomically: true, encoding: .utf8)
        let steps = 4 * 8
        let first = try BuiltBinaries.run("furuta", ["train", "--quiet", "--out", dir.path, "--config", config.path,
                                                     "maxEnvironmentSteps=\(3 * steps)"])
        #expect(first.status == 0, "\(first.stderr)")
        let resumed = try BuiltBinaries.run("furuta", ["train", "--quiet", "--resume", dir.path, "maxEnvironmentSteps=\(6 * steps)"])
        #expect(resumed.status == 0, "\(resumed.stderr)")

        let csv = try String(contentsOf: dir.appendingPathComponent("metrics.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = rows[0], body = rows.dropFirst()
        #expect(body.map { $0[0] } == ["1", "2", "3", "4", "5", "6"])
        let scalars = try TensorBoardScalars.read(dir)
        let texts = try TensorBoardScalars.texts(dir)
        #expect(scalars.count >= header.count - 3, "tags: \(scalars.keys.sorted())")
        for (c, column) in header.enumerated() where column != "iteration" {
            let expected = body.filter { !$0[c].isEmpty }.map { (step: Int($0[0])!, value: Float(Double($0[c])!)) }
            let tag = MetricsTags.tag(forColumn: column)
            if MetricsTags.textColumns[column] != nil {
                #expect(scalars[tag] == nil, "\(tag) is a text, not a curve")
                let read = texts[tag] ?? []
                #expect(read.map(\.step) == expected.map(\.step), "\(tag)")
                #expect(read.map { Float(Double($0.text.split(separator: " ").last!)!) } == expected.map(\.value), "\(tag)")
                continue
            }
            let read = (scalars[tag] ?? []).map { (step: $0.step, value: Float($0.value)) }
            #expect(read.map(\.step) == expected.map(\.step), "\(tag)")
            #expect(read.map(\.value) == expected.map(\.value), "\(tag)")
        }
        #expect(scalars["eval/success_rate"]?.map(\.step) == [2, 4, 6])
        #expect(texts["eval/confirmation_success_rate"]?.map(\.step) == [2, 4, 6])
        // PPO's explained variance of the value function, every iteration, at most 1 (the
        // returns of 32 transitions of a swinging pendulum always vary, so never empty).
        let explained = scalars["train/explained_variance"] ?? []
        #expect(explained.map(\.step) == [1, 2, 3, 4, 5, 6], "tags: \(scalars.keys.sorted())")
        #expect(explained.allSatisfy { $0.value.isFinite && $0.value <= 1 })
    }
}
