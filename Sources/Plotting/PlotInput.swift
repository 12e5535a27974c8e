import Foundation

/// What `furuta plot` was pointed at, recognised from the files themselves.
public enum PlotInput {
    /// The figure for `paths`: run folders (or folders of runs, e.g. `bench train --out`),
    /// one deployment log, or one `furuta sim` trajectory.
    public static func figure(for paths: [URL]) throws(PlotError) -> Figure {
        var runs: [LearningCurveFigure.Run] = []
        for url in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw .unreadable(url.path, "no such file or folder")
            }
            if isDirectory.boolValue {
                runs += try runFolders(url)
                continue
            }
            guard paths.count == 1 else { throw .unknownInput("\(url.path) (only run folders can be combined)") }
            let table = try CSVTable(contentsOf: url)
            if table.has("tick") && table.has("wake_latency_us") {
                return try DeploymentFigure.make(log: table, source: url.lastPathComponent, events: safetyEvents(besideLog: url))
            }
            if table.has("time_s") && table.has("reward") && table.has("pendulum_angle_rad") {
                return try TrajectoryFigure.make(trajectory: table, source: url.lastPathComponent)
            }
            if table.has("env_steps") && table.has("mean_episode_return") {
                return try LearningCurveFigure.make(runs: [run(url.deletingLastPathComponent(), metrics: table)], title: "Learning curve")
            }
            throw .unknownInput(url.path)
        }
        return try LearningCurveFigure.make(runs: runs, title: runs.count == 1 ? "Learning curve" : "Learning curves over \(runs.count) runs")
    }

    /// A run folder, or the run folders directly inside a folder.
    static func runFolders(_ url: URL) throws(PlotError) -> [LearningCurveFigure.Run] {
        let metrics = url.appendingPathComponent("metrics.csv")
        if FileManager.default.fileExists(atPath: metrics.path) { return [try run(url, metrics: CSVTable(contentsOf: metrics))] }
        let children = ((try? FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil)) ?? [])
            .filter { FileManager.default.fileExists(atPath: $0.appendingPathComponent("metrics.csv").path) }
            .sorted { $0.lastPathComponent.localizedStandardCompare($1.lastPathComponent) == .orderedAscending }
        guard !children.isEmpty else { throw .unknownInput(url.path) }
        var runs: [LearningCurveFigure.Run] = []
        for child in children { runs.append(try run(child, metrics: CSVTable(contentsOf: child.appendingPathComponent("metrics.csv")))) }
        return runs
    }

    static func run(_ folder: URL, metrics: CSVTable) throws(PlotError) -> LearningCurveFigure.Run {
        guard metrics.rowCount > 0 else { throw .noData(folder.appendingPathComponent("metrics.csv").path) }
        return LearningCurveFigure.Run(name: folder.lastPathComponent, metrics: metrics, summary: summaryLine(folder),
                                       successGoal: successGoal(folder))
    }

    /// `evaluation.successRate` from the run's config.yaml (the `successRate:` key under
    /// `evaluation:`), if the file is there.
    static func successGoal(_ folder: URL) -> Double? {
        guard let text = try? String(contentsOf: folder.appendingPathComponent("config.yaml"), encoding: .utf8) else { return nil }
        var inEvaluation = false
        for line in text.split(separator: "\n") {
            if !line.hasPrefix(" ") { inEvaluation = line.hasPrefix("evaluation:") ; continue }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if inEvaluation, trimmed.hasPrefix("successRate:") { return Double(trimmed.dropFirst("successRate:".count).trimmingCharacters(in: .whitespaces)) }
        }
        return nil
    }

    /// "runs/a — 1.97 M steps in 45.8 s, first success at 17.4 s (stopped: …)" from summary.json.
    static func summaryLine(_ folder: URL) -> String? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("summary.json")),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let steps = json["env_steps"] as? Double, let wall = json["wall_s"] as? Double else { return nil }
        let success = (json["time_to_success_s"] as? Double).map { String(format: "first success at %.1f s", $0) } ?? "no success"
        let stopped = (json["stopped_because"] as? String).map { " (stopped: \($0))" } ?? ""
        return folder.lastPathComponent + String(format: " — %.2f M steps in %.1f s, ", steps / 1e6, wall) + success + stopped
    }

    /// Safety events from the run's `--summary` JSON when it lies beside the log with the same
    /// name (run.csv → run.json); the log alone still shows phases, limits and overruns.
    static func safetyEvents(besideLog log: URL) -> [DeploymentFigure.SafetyEvent] {
        let json = log.deletingPathExtension().appendingPathExtension("json")
        guard let data = try? Data(contentsOf: json),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let events = object["safety_events"] as? [[String: Any]] else { return [] }
        return events.compactMap { e in
            guard let kind = e["kind"] as? String, let t = e["time_s"] as? Double else { return nil }
            return DeploymentFigure.SafetyEvent(kind: kind, timeS: t, isFault: e["is_fault"] as? Bool ?? false)
        }
    }
}
