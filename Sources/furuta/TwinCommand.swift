import ArgumentParser
import FirmwareLink
import Foundation
import Twin

/// `furuta twin`: a simulated ESP32 on a pseudo-terminal, for running the controller without
/// hardware. Prints the pty path, optionally links it at --link, runs until SIGINT/SIGTERM.
struct TwinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twin",
        abstract: "Run a virtual ESP32 (firmware core + simulated pendulum) on a pseudo-terminal.",
        discussion: """
            Then, in another shell: furuta-controller probe --port /tmp/furuta-twin
            Example: furuta twin --link /tmp/furuta-twin --drop 0.01 --brownout-after 30
            """
    )

    @Option(help: "robot.yaml of the robot to simulate (default: the bundled robot).")
    var robot: String?

    @Option(help: "Make this path a symbolic link to the pty (removed on exit).")
    var link: String?

    @Option(help: "Device seconds per wall second.")
    var speed: Double = 1

    @Option(help: "Probability of dropping a whole frame, each direction.")
    var drop: Double = 0

    @Option(help: "Probability of corrupting a byte, each direction.")
    var corrupt: Double = 0

    @Option(name: .customLong("delay-ms"), help: "Extra latency on replies, milliseconds.")
    var delayMs: Double = 0

    @Option(help: "Stop answering after this many seconds (the firmware watchdog keeps running).")
    var stallAfter: Double?

    @Option(help: "Close the pty after this many seconds.")
    var disconnectAfter: Double?

    @Option(help: "Reset once with reason brownout after this many seconds.")
    var brownoutAfter: Double?

    @Option(name: .customLong("physics"), parsing: .singleValue,
            help: "Override a robot.yaml value for the twin's robot, e.g. --physics pendulum.mass_kg=0.03 (repeatable).")
    var physics: [String] = []

    @Option(help: "Seed for the injected faults.")
    var seed: UInt64 = 0x7417

    func validate() throws {
        for (name, p) in [("--drop", drop), ("--corrupt", corrupt)] where !(0...1).contains(p) {
            throw ValidationError("\(name) is a probability: give a number from 0 to 1, e.g. \(name) 0.01")
        }
        guard speed > 0, speed.isFinite else { throw ValidationError("--speed must be positive, e.g. --speed 1") }
        guard delayMs >= 0 else { throw ValidationError("--delay-ms must be 0 or more") }
        for (name, t) in [("--stall-after", stallAfter), ("--disconnect-after", disconnectAfter),
                          ("--brownout-after", brownoutAfter)] {
            if let t, t < 0 { throw ValidationError("\(name) takes seconds from start, 0 or more") }
        }
    }

    func parsedPhysics() throws -> [String: String] {
        var overrides: [String: String] = [:]
        for item in physics {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty else {
                throw ValidationError("--physics takes key=value with robot.yaml keys, e.g. --physics motor.deadzone=0.08")
            }
            overrides[parts[0]] = parts[1]
        }
        return overrides
    }

    func run() throws {
        var options = VirtualDevice.Options()
        options.speed = speed
        options.faults.dropFrameProbability = drop
        options.faults.corruptByteProbability = corrupt
        options.faults.replyDelay = .microseconds(Int64(delayMs * 1000))
        options.faults.stallAfter = stallAfter
        options.faults.disconnectAfter = disconnectAfter
        options.faults.brownoutAfter = brownoutAfter
        options.faults.seed = seed

        // Block the stop signals before any thread starts (the plant may start some), so only
        // sigtimedwait sees them and the link is always removed.
        let stopSignals = StopSignals()
        let plant = try makeTwinPlant(robotPath: robot, physicsOverrides: try parsedPhysics())
        let device = try VirtualDevice(plant: plant, options: options)
        if let link { try device.createLink(at: link) }
        defer { if let link { PseudoTerminal.removeLink(at: link) } }
        device.start()
        print("twin: device on \(device.slavePath)" + (link.map { " (linked at \($0))" } ?? ""))
        print("twin: try `furuta-controller probe --port \(link ?? device.slavePath)`; Ctrl-C to stop")
        while !stopSignals.wait(milliseconds: 200) {
            if device.snapshot.isDisconnected {
                print("twin: disconnected as requested (--disconnect-after)")
                break
            }
        }
        let s = device.snapshot
        device.close()
        print("twin: stopped; \(s.commandsApplied) commands applied, \(s.watchdogTrips) watchdog trips, "
              + "\(s.received.corruptFrames) corrupt frames dropped, \(s.sequenceGaps) frames lost")
    }
}
