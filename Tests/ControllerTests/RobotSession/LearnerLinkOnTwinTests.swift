import Controller
import Foundation
import SessionLink
import Synchronization
import Testing
import Twin

extension RealTimeSessions {
    /// Training sessions on the twin with the learner link over a real Unix-domain socket: a
    /// learner that never reads costs the loop nothing, and a learner that starts late (or
    /// restarts) in a folder of its own gets every episode — the old ones from the controller's
    /// folder, the new one streamed as it runs — and hands back a policy with its exploration.
    @Suite(.serialized) struct LearnerLinkOnTwinTests {
        final class Lines: @unchecked Sendable {
            let lines = Mutex<[String]>([])
            func add(_ s: String) { lines.withLock { $0.append(s) } }
            var all: [String] { lines.withLock { $0 } }
        }

        static func shortDirectory() throws -> String {
            let path = "/tmp/fl-" + UUID().uuidString.prefix(8)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }

        static func settings(_ folder: SessionFolder, port: String, link: LearnerLink, episodes: Int) -> RobotTrainingSession.Settings {
            var settings = ControllerFixtures.twinSessionSettings(folder, port: port, episodeSeconds: 3)
            settings.budgets.episodes = episodes
            settings.learnerLink = link
            return settings
        }

        @Test func aLearnerThatNeverReadsDoesNotDelayTheLoop() throws {
            let robot = try ControllerFixtures.robot().parameters
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let dir = try Self.shortDirectory()
            let folder = SessionFolder(path: dir + "/s")
            try folder.create()
            try ControllerFixtures.constantPolicy(0, robot: robot).write(toFile: folder.candidate(1))
            let secret = try SessionSecret.loadOrCreate(dir + "/learner.secret")
            let address = LinkAddress.unix(path: dir + "/l.sock")
            // The stalled learner: authenticates every controller, then never reads a byte.
            let listener = try LinkListener(address)
            let held = Mutex<[LinkSocket]>([])
            let stop = Atomic<Bool>(false)
            let stalled = Thread {
                while !stop.load(ordering: .relaxed) {
                    guard let socket = listener.accept(timeoutMilliseconds: 100) else { continue }
                    if (try? LinkHandshake.accept(socket, secret: secret)) != nil { held.withLock { $0.append(socket) } }
                }
            }
            stalled.start()
            defer { stop.store(true, ordering: .relaxed) }
            let link = LearnerLink(address: address, secret: secret, folder: folder, queueCapacityBytes: 16 << 10, report: { _ in })
            link.socketSendBufferBytes = 4_096
            link.start()
            defer { link.stop() }
            #expect(eventually(within: .seconds(10)) { link.isConnected })

            let session = RobotTrainingSession(settings: Self.settings(folder, port: device.slavePath, link: link, episodes: 2), robot: robot)
            let summary = try session.run()
            #expect(summary.episodes == 2)
            #expect(session.state.episodes.allSatisfy { $0.outcome == "completed" && $0.fault == nil })
            for index in 1...2 {
                let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.episodeSummary(index)))) as? [String: Any])
                // The drain thread kept the ring empty (it never waited on the socket), and the
                // loop ran every period of the 3 s.
                #expect(json["telemetry_dropped"] as? Int == 0)
                let running = try String(contentsOfFile: folder.episodeLog(index), encoding: .utf8)
                    .split(separator: "\n").filter { $0.contains(",running,") }.count
                #expect(running >= 295, "episode \(index): \(running) running rows of 300")
            }
            // The stall was real: batches were dropped, and handing one over never took long.
            #expect(link.droppedBatches.load(ordering: .relaxed) > 0)
            let longest = Double(link.longestOfferNanoseconds.load(ordering: .relaxed)) * 1e-6
            print("stalled learner: \(link.sentBatches.load(ordering: .relaxed)) batches sent, \(link.droppedBatches.load(ordering: .relaxed)) dropped, longest hand-over \(longest) ms")
            #expect(longest < 50)
            #expect(device.snapshot.appliedDutyQ15 == 0)
        }

        @Test func aLateLearnerInAFolderOfItsOwnCatchesUpGetsTheNextEpisodeStreamedAndHandsBackAPolicyWithItsExploration() throws {
            let robot = try ControllerFixtures.robot().parameters
            let device = try ControllerFixtures.startTwin()
            defer { device.close() }
            let dir = try Self.shortDirectory()
            let folder = SessionFolder(path: dir + "/robot")
            try folder.create()
            let learnerEpisodes = dir + "/learner/episodes"
            try FileManager.default.createDirectory(atPath: learnerEpisodes, withIntermediateDirectories: true)
            let still = ControllerFixtures.constantPolicy(0, robot: robot)
            try still.write(toFile: folder.candidate(1))
            // The learner's secret, copied to the robot's folder as a remote user would.
            let secret = try SessionSecret.loadOrCreate(dir + "/learner/learner.secret")
            try FileManager.default.copyItem(atPath: dir + "/learner/learner.secret", toPath: dir + "/robot/learner.secret")
            chmod(dir + "/robot/learner.secret", 0o600)
            let address = LinkAddress.unix(path: dir + "/l.sock")
            let link = LearnerLink(address: address, secret: try SessionSecret.load(dir + "/robot/learner.secret"), folder: folder, report: { _ in })
            link.start()
            defer { link.stop() }

            // Two episodes with no learner anywhere.
            _ = try RobotTrainingSession(settings: Self.settings(folder, port: device.slavePath, link: link, episodes: 2), robot: robot).run()
            #expect(!link.isConnected)

            // The learner comes up with candidate 2 and the exploration it wants.
            let lines = Lines()
            let endpoint = LearnerEndpoint(listener: try LinkListener(address), secret: secret, episodesDirectory: learnerEpisodes,
                                           report: { lines.add($0) })
            let policyPath = ControllerFixtures.temporaryPath("still.policy")
            try still.write(toFile: policyPath)
            let request = #"{"sigma": 0.05, "correlation": 0.5, "bound": 0.2, "source": "test"}"#
            endpoint.publish(number: 2, policy: Array(try Data(contentsOf: URL(fileURLWithPath: policyPath))), exploration: Array(request.utf8))
            endpoint.start()
            defer { endpoint.stop() }
            #expect(eventually(within: .seconds(10)) { link.policiesReceived.load(ordering: .relaxed) == 1 })
            #expect(eventually(within: .seconds(10)) { endpoint.episodesReceived.load(ordering: .relaxed) == 2 })

            // The controller allows up to σ 0.3, ρ 0.95, bound 0.5: the learner's request is within.
            var third = Self.settings(folder, port: device.slavePath, link: link, episodes: 3)
            third.exploration = ExplorationNoiseSequence(sigma: 0.3, correlation: 0.95, bound: 0.5)
            let session = RobotTrainingSession(settings: third, robot: robot)
            _ = try session.run()
            let episode = try #require(session.state.episodes.last)
            #expect(episode.index == 3 && episode.policy == "candidate-000002.policy")
            #expect(episode.explorationSigma == 0.05 && episode.explorationCorrelation == 0.5)
            #expect(eventually(within: .seconds(10)) { endpoint.episodesReceived.load(ordering: .relaxed) == 3 })
            for index in 1...3 {
                let ours = try Data(contentsOf: URL(fileURLWithPath: folder.episodeLog(index)))
                let theirs = try Data(contentsOf: URL(fileURLWithPath: EpisodeFiles(directory: learnerEpisodes).path(index)))
                #expect(ours == theirs, "episode \(index) differs in the learner's folder")
            }
            print("learner link: \(lines.all)")
            #expect(lines.all.contains { $0.contains("episode 3 received as it ran") })
            #expect(lines.all.filter { $0.contains("received from the controller's folder") }.count == 2)
        }
    }
}
