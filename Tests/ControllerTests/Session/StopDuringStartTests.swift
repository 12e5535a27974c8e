import Controller
import FirmwareLink
import Foundation
import Testing

extension RealTimeSessions {
    /// Ctrl-C before the loop starts — while waiting for the board (`--port auto`) or for its
    /// handshake reply — ends the run at once (it used to wait for the 7 s timeout), with the
    /// summary written and nothing driven.
    @Suite(.serialized) struct StopDuringStartTests {
        private var binary: String { BuiltProducts.executable("furuta-controller") }

        /// Starts `run` with `arguments`, sends SIGINT after `delay` s; returns (exit status, seconds
        /// from the signal to the exit, summary JSON).
        private func interrupt(_ arguments: [String], after delay: Double) throws -> (Int32, Double, [String: Any]?) {
            let summaryPath = ControllerFixtures.temporaryPath("summary.json")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["run", "--policy", ControllerFixtures.swingUpPolicyPath, "--robot", ControllerFixtures.robotPath,
                                 "--summary", summaryPath, "--no-memory-lock"] + arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: delay)
            #expect(process.isRunning, "still waiting when the signal comes")
            let sent = ContinuousClock.now
            kill(process.processIdentifier, SIGINT)
            let exited = eventually(within: .seconds(5)) { !process.isRunning }
            let took = (ContinuousClock.now - sent) / .seconds(1)
            if !exited { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            let json = (try? Data(contentsOf: URL(fileURLWithPath: summaryPath)))
                .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
            return (process.terminationStatus, took, json)
        }

        /// Bound: the handshake is waited for in 100 ms slices, so ≤ 0.1 s plus process exit.
        @Test func ctrlCDuringTheHandshakeStopsAtOnce() throws {
            let terminal = try PseudoTerminal() // silent: no hello_reply ever comes
            defer { terminal.close() }
            let (status, took, json) = try interrupt(["--port", terminal.slavePath, "--handshake-timeout", "7"], after: 1)
            #expect(took < 0.5, "exited \(took) s after SIGINT")
            #expect(status == 0)
            #expect(json?["outcome"] as? String == "stopped")
            #expect(json?["stop_reason"] as? String == "stop_signal")
            #expect(json?["ticks"] as? Int == 0)
        }

        @Test func ctrlCWhileWaitingForTheBoardStopsAtOnce() throws {
            let (status, took, json) = try interrupt(["--port", "auto", "--discovery-timeout", "7"], after: 1)
            #expect(took < 0.5, "exited \(took) s after SIGINT")
            #expect(status == 0)
            #expect(json?["outcome"] as? String == "stopped")
        }
    }
}
