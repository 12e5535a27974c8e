import ArgumentParser
import CommandLogging
import Controller
import FirmwareLink
import Foundation
import RobotDescription
import Twin
import View

/// `furuta twin`: a simulated ESP32 on a pseudo-terminal, for running the controller without
/// hardware. Prints the pty path, optionally links it at --link, runs until SIGINT/SIGTERM.
struct TwinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "twin",
        abstract: "Run a virtual ESP32 (firmware core + simulated pendulum) on a pseudo-terminal.",
        discussion: """
            Then, in another shell: furuta-controller probe --port /tmp/furuta-twin
            Example: furuta twin --link /tmp/furuta-twin --drop 0.01 --brownout-after 30

            Link timing (both directions, see docs/controller.md "The twin's link"): --baud sets byte
            timing on the ESP32's UART (10 bits per byte), --usb-frame-ms the USB frame granularity of
            a USB-serial bridge, --delay-ms / --command-delay-ms the fixed latency device → host /
            host → device, --jitter-ms a uniform jitter on both, --spike-ms with --spike-probability
            rare stalls. A CP210x at 921600 baud with 1 ms frames and 4 ms of latency:
              furuta twin --link /tmp/furuta-twin --baud 921600 --usb-frame-ms 1 --delay-ms 3 --jitter-ms 1
            The device clock runs on a SCHED_FIFO thread (priority --priority) where permitted; passes
            that start more than 1 ms late are counted and reported as deadline misses.

            To watch it: furuta view --twin-udp 9871 & furuta twin --link /tmp/furuta-twin --view-udp 127.0.0.1:9871
            (the physics state, 50 times a second from an ordinary thread, one UDP datagram each).
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

    @Option(name: .customLong("delay-ms"), help: "Fixed latency device → host (replies), milliseconds.")
    var delayMs: Double = 0

    @Option(name: .customLong("command-delay-ms"), help: "Fixed latency host → device (commands), milliseconds.")
    var commandDelayMs: Double = 0

    @Option(name: .customLong("jitter-ms"), help: "Uniform extra latency 0…J ms, each direction, per frame.")
    var jitterMs: Double = 0

    @Option(name: .customLong("spike-ms"), help: "A latency spike of this many ms, with --spike-probability per frame, each direction.")
    var spikeMs: Double = 0

    @Option(name: .customLong("spike-probability"), help: "Probability of a latency spike per frame.")
    var spikeProbability: Double = 0

    @Option(help: "UART speed for byte timing (10 bits per byte), e.g. 921600; default: no byte timing.")
    var baud: Int?

    @Option(name: .customLong("usb-frame-ms"), help: "USB frame interval: bytes move only at its boundaries, e.g. 1; default 0 (none).")
    var usbFrameMs: Double = 0

    @Option(help: "SCHED_FIFO priority of the device thread (0: an ordinary thread).")
    var priority: Int32 = 70

    @Option(name: .customLong("status-every"), help: "Print a status line every S seconds (0: only at exit).")
    var statusEvery: Double = 0

    @Option(help: "Stop answering after this many seconds (the firmware watchdog keeps running).")
    var stallAfter: Double?

    @Option(help: "Close the pty after this many seconds.")
    var disconnectAfter: Double?

    @Option(help: "Reset once with reason brownout after this many seconds.")
    var brownoutAfter: Double?

    @Option(name: .customLong("physics"), parsing: .singleValue,
            help: "Override a robot.yaml value for the twin's robot, e.g. --physics pendulum.mass_kg=0.03 (repeatable).")
    var physics: [String] = []

    @Option(help: "Draw the twin's physics as training draws an episode's, with this seed (ranges: --training-config, else the defaults).")
    var randomize: UInt64?

    @Option(name: .customLong("training-config"), help: "A training run's config.yaml whose environment.randomization ranges --randomize uses.")
    var trainingConfig: String?

    @Option(help: "Seed for the injected faults.")
    var seed: UInt64 = 0x7417

    @Option(name: .customLong("view-udp"), help: "Send the physics state to `furuta view --twin-udp PORT` at this loopback address, e.g. 127.0.0.1:9871.")
    var viewUdp: String?

    /// Every number checked for finiteness and a range that makes sense for a device on a serial
    /// link (latencies up to 10 s, fault times up to a day), naming the flag and the range.
    func validate() throws {
        for (name, p) in [("--drop", drop), ("--corrupt", corrupt), ("--spike-probability", spikeProbability)] {
            try NumberRange.closed(0, 1).check(name, p)
        }
        try NumberRange.above(0, upTo: 100).check("--speed", speed)
        for (name, ms) in [("--delay-ms", delayMs), ("--command-delay-ms", commandDelayMs), ("--jitter-ms", jitterMs),
                           ("--spike-ms", spikeMs), ("--usb-frame-ms", usbFrameMs)] {
            try NumberRange.closed(0, 10_000).check(name, ms)
        }
        if let baud { try NumberRange.closed(300, 100_000_000).check("--baud", baud) }
        guard (0...99).contains(priority) else { throw ValidationError("--priority takes 1…99 (0 for an ordinary thread)") }
        try NumberRange.closed(0, 86_400).check("--status-every", statusEvery)
        for (name, t) in [("--stall-after", stallAfter), ("--disconnect-after", disconnectAfter),
                          ("--brownout-after", brownoutAfter)] {
            if let t { try NumberRange.closed(0, 86_400).check(name, t) }
        }
        if let viewUdp, TelemetryPublisher(address: viewUdp) == nil {
            throw ValidationError("--view-udp takes a loopback address with a port, e.g. 127.0.0.1:9871 (found '\(viewUdp)')")
        }
    }

    func parsedPhysics() throws -> [String: String] { try PhysicsOverrides.parse(physics) }

    /// The link model the options describe.
    var linkModel: LinkModel {
        func ms(_ value: Double) -> Duration { .microseconds(Int64((value * 1000).rounded())) }
        let jitter = ms(jitterMs), spike = ms(spikeMs)
        return LinkModel(baud: baud, usbFrame: ms(usbFrameMs),
                         hostToDevice: LatencyDistribution(base: ms(commandDelayMs), jitter: jitter,
                                                           spikeProbability: spikeProbability, spike: spike),
                         deviceToHost: LatencyDistribution(base: ms(delayMs), jitter: jitter,
                                                           spikeProbability: spikeProbability, spike: spike))
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        var options = VirtualDevice.Options()
        options.speed = speed
        options.faults.dropFrameProbability = drop
        options.faults.corruptByteProbability = corrupt
        options.link = linkModel
        options.fifoPriority = priority > 0 ? priority : nil
        options.faults.stallAfter = stallAfter
        options.faults.disconnectAfter = disconnectAfter
        options.faults.brownoutAfter = brownoutAfter
        options.faults.seed = seed

        // Ctrl-C / SIGTERM counted by a real handler, polled below, so the link is always removed.
        if let problem = StopSignals.install() { logger.warning("\(problem); Ctrl-C will leave the link behind") }
        let plant: any TwinPlant
        if let randomize {
            let nominal = try loadRobot(robot ?? RobotDescriptionDefault.path, overrides: try parsedPhysics())
            let sampled = TwinPhysicsSampling.sample(nominal, ranges: try TwinPhysicsSampling.ranges(trainingConfig: trainingConfig),
                                                     seed: randomize)
            print("twin: physics drawn with seed \(randomize): " + TwinPhysicsSampling.summary(sampled.parameters, nominal: nominal.parameters))
            plant = try PhysicsPlant(description: sampled)
        } else {
            plant = try makeTwinPlant(robotPath: robot, physicsOverrides: try parsedPhysics())
        }
        let device = try VirtualDevice(plant: plant, options: options)
        if let link { try device.createLink(at: link) }
        defer { if let link { PseudoTerminal.removeLink(at: link) } }
        device.start()
        let viewPublisher = viewUdp.flatMap { TwinViewPublisher(device: device, address: $0) }
        viewPublisher?.start()
        defer { viewPublisher?.stop() }
        print("twin: device on \(device.slavePath)" + (link.map { " (linked at \($0))" } ?? ""))
        print("twin: try `furuta-controller probe --port \(link ?? device.slavePath)`; Ctrl-C to stop")
        if let viewUdp, let port = viewUdp.split(separator: ":").last {
            print("twin: physics sent to udp://\(viewUdp); watch with `furuta view --twin-udp \(port)`")
        }
        // The thread reports its scheduling once it has asked for it.
        _ = waitForGrant(device)
        if let warning = device.snapshot.realtimeWarning { logger.warning("\(warning)") }
        fflush(nil)
        var lastStatus = Date()
        while !StopSignals.wait(milliseconds: 200) {
            if device.snapshot.isDisconnected {
                print("twin: disconnected as requested (--disconnect-after)")
                break
            }
            if statusEvery > 0, Date().timeIntervalSince(lastStatus) >= statusEvery {
                lastStatus = Date()
                print(Self.status(device.snapshot))
                fflush(nil)
            }
        }
        let s = device.snapshot
        device.close()
        print("twin: stopped; \(s.commandsApplied) commands applied, \(s.watchdogTrips) watchdog trips, "
              + "\(s.received.corruptFrames) corrupt frames dropped, \(s.sequenceGaps) frames lost")
        print(Self.status(s))
    }

    /// One line a script can parse: `twin: status passes=N deadline_misses=M worst_late_us=W fifo=P`.
    static func status(_ s: VirtualDevice.Snapshot) -> String {
        "twin: status passes=\(s.passes) deadline_misses=\(s.deadlineMisses) worst_late_us=\(s.worstLatenessMicroseconds) "
            + "fifo=\(s.fifoPriority.map(String.init) ?? "none") device_time_s=\(String(format: "%.3f", Double(s.deviceTimeMicroseconds) * 1e-6))"
    }

    private func waitForGrant(_ device: VirtualDevice) -> Bool {
        for _ in 0..<100 where device.snapshot.passes == 0 { Thread.sleep(forTimeInterval: 0.005) }
        return device.snapshot.passes > 0
    }
}
