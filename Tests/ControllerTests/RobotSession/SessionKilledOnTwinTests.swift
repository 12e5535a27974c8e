import Controller
import Foundation
import Testing
import Twin

extension RealTimeSessions {
    /// The built `furuta-controller session` as a subprocess on a twin in this process, killed
    /// with SIGKILL mid-episode (a crash or a power cut of the controller) and started again.
    @Suite(.serialized) struct SessionKilledOnTwinTests {
        @Test func aSessionKilledMidEpisodeResumesAndRedoesTheCutEpisode() throws {
            let robot = try ControllerFixtures.robot().parameters
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let folder = try ControllerFixtures.sessionFolderWithStillPolicy(robot: robot)
            let summary = ControllerFixtures.temporaryPath("summary.json")
            func start() throws -> Process {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: BuiltProducts.executable("furuta-controller"))
                process.arguments = ["session", "--port", device.slavePath, "--session", folder.path, "--robot", ControllerFixtures.robotPath,
                                     "--episodes", "3", "--episode-seconds", "1.5", "--exploration-sigma", "0", "--priority", "0",
                                     "--summary", summary]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                return process
            }
            let first = try start()
            let cut = eventually(within: .seconds(30)) { FileManager.default.fileExists(atPath: folder.episodeLog(2) + ".partial") }
            Thread.sleep(forTimeInterval: 0.5)
            kill(first.processIdentifier, SIGKILL)
            first.waitUntilExit()
            #expect(cut, "episode 2 never started")
            #expect(try SessionState.load(folder.statePath)?.episodes.map(\.index) == [1])
            // The firmware watchdog has stopped the motor; the kernel released the port's lock.
            #expect(eventually(within: .seconds(1)) { device.snapshot.appliedDutyQ15 == 0 })

            let second = try start()
            let ended = eventually(within: .seconds(60)) { !second.isRunning }
            if !ended { kill(second.processIdentifier, SIGKILL); second.waitUntilExit() }
            #expect(ended && second.terminationStatus == 0, "exit \(second.terminationStatus)")
            let state = try #require(try SessionState.load(folder.statePath))
            #expect(state.episodes.map(\.index) == [1, 2, 3])
            #expect(state.episodes.allSatisfy { $0.fault == nil })
            for index in 1...3 { #expect(FileManager.default.fileExists(atPath: folder.episodeLog(index))) }
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: summary))) as? [String: Any])
            #expect(json["episodes"] as? Int == 3)
            #expect(json["stop_reason"] as? String == "episodes_reached")
            #expect(device.snapshot.appliedDutyQ15 == 0)
        }
    }
}
