import Foundation

/// What `furuta plot` was pointed at, recognised from the files themselves.
public enum PlotInput {
    /// The figure for `paths`: run folders (or folders of runs, e.g. `bench train --out`),
    /// one deployment log, one `furuta sim` trajectory, one system-identification report folder
    /// or one robot training session folder. `sessionReturns` gives a session's episode returns
    /// by episode number (the learner's reward lives outside this module).
    public static func figure(for paths: [URL], sessionReturns: (URL) -> [Int: Double] = { _ in [:] },
                              sessionSuccessUprightS: Double? = nil) throws(PlotError) -> Figure {
        var runs: [LearningCurveFigure.Run] = []
        for url in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw .unreadable(url.path, "no such file or folder")
            }
            if isDirectory.boolValue {
                let isSession = FileManager.default.fileExists(atPath: url.appendingPathComponent("session.json").path)
                let isReport = FileManager.default.fileExists(atPath: url.appendingPathComponent("report.json").path)
                if isSession || isReport {
                    guard paths.count == 1 else { throw .unknownInput("\(url.path) (only run folders can be combined)") }
                    return isSession ? try session(url, returns: sessionReturns(url), successUprightS: sessionSuccessUprightS)
                                     : try systemIdentificationReport(url)
                }
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

    /// A `furuta sysid fit --report DIR` folder: its `fit-*.csv` replays and report.json's losses.
    static func systemIdentificationReport(_ url: URL) throws(PlotError) -> Figure {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
            .filter { $0.hasPrefix("fit-") && $0.hasSuffix(".csv") }.sorted()
        guard !names.isEmpty else {
            throw .unreadable(url.path, "the report has no fit-*.csv replays (made by `furuta sysid fit --report` since it writes them; fit again)")
        }
        var recordings: [SystemIdentificationFigure.Recording] = []
        for name in names {
            let table = try CSVTable(contentsOf: url.appendingPathComponent(name))
            recordings.append(.init(name: String(name.dropFirst(4).dropLast(4)), table: table))
        }
        let report = (try? Data(contentsOf: url.appendingPathComponent("report.json")))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        return try SystemIdentificationFigure.make(recordings: recordings, lossBefore: report?["loss_before"] as? Double,
                                                   lossAfter: report?["loss_after"] as? Double, source: url.lastPathComponent)
    }

    /// A session folder: its episodes as `session.json` lists them, with `returns` by number.
    static func session(_ url: URL, returns: [Int: Double], successUprightS: Double?) throws(PlotError) -> Figure {
        let path = url.appendingPathComponent("session.json").path
        guard let data = FileManager.default.contents(atPath: path),
              let state = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let listed = state["episodes"] as? [[String: Any]] else {
            throw .unreadable(path, "not the session.json `furuta-controller session` writes")
        }
        var robotTime = 0.0
        var episodes: [SessionFigure.Episode] = []
        for e in listed.sorted(by: { ($0["index"] as? Int ?? 0) < ($1["index"] as? Int ?? 0) }) {
            guard let index = e["index"] as? Int else { continue }
            robotTime += e["running_s"] as? Double ?? 0
            episodes.append(.init(index: index, robotTimeS: robotTime, episodeReturn: returns[index],
                                  longestUprightS: e["longest_upright_s"] as? Double ?? 0, success: e["success"] as? Bool ?? false,
                                  policy: e["policy"] as? String ?? "?"))
        }
        return try SessionFigure.make(episodes: episodes, successUprightS: successUprightS, source: url.lastPathComponent)
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
