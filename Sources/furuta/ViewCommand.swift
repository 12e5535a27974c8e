import ArgumentParser
import CommandLogging
import Foundation
import PolicyFormat
import Synchronization
import View

/// `furuta view`: a live web page of the pendulum on loopback.
struct ViewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "view",
        abstract: "Show the pendulum and live plots in a web page on 127.0.0.1.",
        discussion: """
        One source at a time:
          (none)                   the simulated pendulum, driven by the arrow keys on the page
          --policy FILE            simulated episodes running a policy
          --replay FILE.csv        a furuta-controller --log or furuta sim CSV, at --speed X (loops)
          --controller-udp PORT    a running furuta-controller run (or a run on the twin) started
                                   with FURUTA_VIEW_UDP=127.0.0.1:PORT in its environment
          --twin-udp PORT          a running twin started with --view-udp 127.0.0.1:PORT: its
                                   physics itself, whatever drives it (or nothing)
        Open the printed address in a browser; Ctrl-C stops. Examples:
          furuta view --policy runs/a/final.policy
          furuta view --replay run.csv --speed 0.25
          furuta view --controller-udp 9870 &   FURUTA_VIEW_UDP=127.0.0.1:9870 furuta-controller run ...
          furuta view --twin-udp 9871 &   furuta twin --link /tmp/furuta-twin --view-udp 127.0.0.1:9871
        """)

    @Option(help: "HTTP port on 127.0.0.1 (0 picks a free one).")
    var httpPort: Int = 8765
    @Option(help: "Run this policy in simulated episodes.")
    var policy: String?
    @Option(help: "Replay a recorded run (deployment log or furuta sim CSV).")
    var replay: String?
    @Option(help: "Replay speed, × real time (the page can change it).")
    var speed: Double = 1
    @Option(help: "Show a running furuta-controller's telemetry, received on this UDP port.")
    var controllerUdp: UInt16?
    @Option(help: "Show a running twin's physics (furuta twin --view-udp 127.0.0.1:PORT), received on this UDP port.")
    var twinUdp: UInt16?
    @Option(help: "Episode length of simulated policy episodes, s.")
    var episodeSeconds: Double = 10
    @Option(help: "Robot description (YAML).")
    var robot: String = RobotDescriptionDefault.path

    func validate() throws {
        guard (0...65535).contains(httpPort) else { throw ValidationError("--http-port must be 0…65535") }
        guard [policy != nil, replay != nil, controllerUdp != nil, twinUdp != nil].filter({ $0 }).count <= 1 else {
            throw ValidationError("choose one source: --policy, --replay, --controller-udp or --twin-udp")
        }
        guard (0.01...100).contains(speed) else { throw ValidationError("--speed: must be in [0.01, 100] × real time, found \(speed); e.g. --speed 0.5") }
        guard episodeSeconds > 0 else { throw ValidationError("--episode-seconds must be positive") }
    }

    /// The root command is synchronous (its signal handling is set up before any thread starts),
    /// so the server runs in a task while this thread waits for it.
    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let source = try makeSource()
        let done = DispatchSemaphore(value: 0)
        let failure = Mutex<(any Error)?>(nil)
        let port = httpPort, speed = speed
        Task {
            do { try await Self.serve(source: source, port: port, speed: speed) } catch { failure.withLock { $0 = error } }
            done.signal()
        }
        done.wait()
        if let error = failure.withLock({ $0 }) { throw error }
    }

    private func makeSource() throws -> any FrameSource {
        let source: any FrameSource
        if let replay {
            do { source = try ReplaySource(url: URL(fileURLWithPath: replay)) } catch { throw CommandFailure(error.description) }
        } else if let controllerUdp {
            source = ControllerTelemetrySource(port: controllerUdp)
        } else if let twinUdp {
            source = ControllerTelemetrySource(port: twinUdp, sender: .twin)
        } else {
            let description = try loadRobot(robot)
            var file: PolicyFile?
            if let policy {
                do { file = try PolicyFile(contentsOfFile: policy) } catch { throw CommandFailure("\(policy): \(error)") }
                guard file!.robotIdentity == description.parameters.identity else {
                    throw CommandFailure("\(policy) was trained for robot '\(file!.robotName)', not for \(description.sourcePath)")
                }
            }
            source = SimulatedEpisodeSource(robot: description, policy: file, episodeSeconds: episodeSeconds)
        }
        return source
    }

    private static func serve(source: any FrameSource, port httpPort: Int, speed: Double) async throws {
        let hub = FrameHub(sourceDescription: source.description, initialSpeed: speed)
        let server = ViewServer(hub: hub, port: httpPort)
        do {
            try await server.run(source: source) { port in
                // Unbuffered, so a script waiting for the address sees it at once.
                FileHandle.standardOutput.write(Data("furuta view: http://127.0.0.1:\(port)/ — \(source.description); Ctrl-C stops\n".utf8))
            }
        } catch let error as ViewError {
            throw CommandFailure(error.description)
        } catch {
            throw CommandFailure("furuta view on 127.0.0.1:\(httpPort): \(error) (is the port in use? try --http-port 0)")
        }
    }
}
