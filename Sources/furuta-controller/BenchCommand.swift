import ArgumentParser
import CommandLogging
import Controller
import FirmwareLink
import Foundation
import PolicyFormat
import RobotDescription

/// `furuta-controller bench`: the control loop at 1 kHz against a bare clock_nanosleep loop,
/// talking to a `furuta twin` subprocess (found next to this binary) over a real pty.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure loop jitter (against a bare clock_nanosleep loop), allocations per tick and inference time.",
        discussion: """
            Starts `furuta twin` (next to this binary) on a pty, handshakes but never arms it (the motor \
            stays off), and alternates one-second blocks of a bare sleep loop and the full controller \
            period on the same real-time thread. Allocations are counted by re-executing with \
            libMallocInterposerSwift.so in LD_PRELOAD (the deploy binary does not link it).
            Targets: controller p99 jitter ≤ 1.2 × bare p99; 0 allocations per tick; inference < 1 µs.
            --load N runs N busy threads (SCHED_OTHER, --load-nice) during both sides.
            Example: furuta-controller bench --seconds 3 --json; loaded: furuta-controller bench --seconds 30 --load 2
            """
    )

    @Option(help: "Seconds of controller loop (the bare loop gets as many; the run takes twice this).")
    var seconds: Double = 30

    @Option(help: "Loop rate, Hz.")
    var rate: Double = 1000

    @Option(help: "Policy to run (default: a synthetic 2×64 tanh policy of the trained shape).")
    var policy: String?

    @Option(help: "robot.yaml (default: the bundled robot).")
    var robot: String?

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Do not re-execute with the malloc interposer (allocations are then not counted).")
    var noAllocationCount = false

    @Option(help: "Busy threads loading the CPU during both sides of the run (0: none; one per core: --load \(ProcessInfo.processInfo.activeProcessorCount)).")
    var load = 0

    @Option(name: .customLong("load-nice"), help: "Nice value of the busy threads (0 is the harshest).")
    var loadNice: Int32 = 0

    func validate() throws {
        guard seconds > 0 else { throw ValidationError("--seconds must be positive, e.g. --seconds 3") }
        guard rate >= 10, rate <= 10_000 else { throw ValidationError("--rate is 10…10000 Hz, e.g. --rate 1000") }
        guard load >= 0 else { throw ValidationError("--load takes a thread count, 0 for none, e.g. --load 2") }
        guard (-20...19).contains(loadNice) else { throw ValidationError("--load-nice takes -20…19, e.g. --load-nice 0") }
    }

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        if !noAllocationCount, !AllocationProbe.isAvailable,
           ProcessInfo.processInfo.environment["FURUTA_BENCH_PRELOADED"] == nil,
           let library = AllocationProbe.libraryPath(nextTo: executable) {
            reexec(executable, preloading: library)
        }
        let description = try RobotDescription.load(from: robot ?? RobotDescription.defaultPath)
        let file = try policy.map { try PolicyFile(contentsOfFile: $0) } ?? SyntheticPolicy.make(robot: description.parameters)
        let frozen = try FrozenPolicy(file)

        // Inference alone, before the twin process competes for the two cores.
        let tight = LoopBenchmark.tightLoopNanoseconds(frozen)

        let twinPath = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("furuta").path
        guard FileManager.default.isExecutableFile(atPath: twinPath) else {
            throw ValidationError("bench needs `furuta` next to this binary (\(twinPath)) to run the twin: swift build --product furuta")
        }
        let link = "/tmp/furuta-bench-\(getpid())"
        let twin = Process()
        twin.executableURL = URL(fileURLWithPath: twinPath)
        twin.arguments = ["twin", "--link", link] + (robot.map { ["--robot", $0] } ?? [])
        twin.standardOutput = FileHandle.nullDevice
        twin.standardError = FileHandle.nullDevice
        try twin.run()
        defer {
            twin.interrupt()
            twin.waitUntilExit()
        }
        var deviceLink: DeviceLink?
        let deadline = Date().addingTimeInterval(20)
        while deviceLink == nil, Date() < deadline {
            if let candidate = try? DeviceLink(port: link, baud: nil), (try? candidate.handshake(timeout: .milliseconds(500))) != nil {
                deviceLink = candidate
            } else {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        guard let deviceLink else { throw ValidationError("the twin did not answer on \(link) within 20 s") }
        _ = try deviceLink.configure(Configuration(watchdogTimeoutMilliseconds: 200, dutyLimit: 1))

        var benchmark = LoopBenchmark()
        benchmark.rateHz = rate
        benchmark.secondsPerSide = seconds
        // The hog loads both sides alike (blocks alternate under it), so the ratio stays fair.
        let hog = CPUHog(threads: max(load, 1), nice: loadNice)
        if load > 0 { hog.start() }
        var result = benchmark.run(link: deviceLink, policy: frozen, robot: description.parameters,
                                   deviceLabel: "furuta twin subprocess on a pty", tightLoopNanoseconds: tight)
        if load > 0 { hog.stop() }
        result.loadThreads = load
        result.loadNice = loadNice
        if json {
            print(try JSONOutput.string(result))
        } else {
            print(Self.text(result))
        }
    }

    /// execve(self) with the interposer preloaded; returns only if that failed.
    private func reexec(_ executable: String, preloading library: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["LD_PRELOAD"] = [library, environment["LD_PRELOAD"]].compactMap { $0 }.joined(separator: ":")
        environment["FURUTA_BENCH_PRELOADED"] = "1"
        let arguments = [executable] + CommandLine.arguments.dropFirst()
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        execve(executable, &argv, &envp)
        logger.warning("could not re-execute with \(library) (errno \(errno)); allocations not counted")
    }

    static func text(_ r: LoopBenchmark.Result) -> String {
        func row(_ name: String, _ s: LatencySummary) -> String {
            name.padding(toLength: 22, withPad: " ", startingAt: 0)
                + String(format: "p50 %7.1f  p99 %7.1f  p99.9 %7.1f  max %8.1f µs", s.p50Us, s.p99Us, s.p999Us, s.maxUs)
        }
        let allocations = r.allocationsPerTick.map {
            String(format: "%.4f per tick (%d on the loop thread, %d on all threads, in %d periods after warm-up)",
                   $0, r.loopThreadAllocations ?? 0, r.allThreadAllocations ?? 0, r.measuredTicks)
        } ?? "not counted (libMallocInterposerSwift.so not next to the binary)"
        return """
            \(Int(r.rateHz)) Hz, \(r.secondsPerSide) s each side, device: \(r.device)
            load: \(r.loadThreads == 0 ? "none" : "\(r.loadThreads) busy threads at nice \(r.loadNice)")
            \(row("bare loop jitter", r.bareJitterUs))
            \(row("controller jitter", r.controllerJitterUs))
            p99 ratio             \(String(format: "%.2f", r.p99Ratio))  (target ≤ 1.2)
            \(row("tick work", r.tickWorkUs))
            \(row("state round trip", r.roundTripUs))
            \(row("inference (in loop)", r.inferenceUs))
            inference tight loop  \(String(format: "%.0f", r.inferenceTightLoopNs)) ns per call
            allocations           \(allocations)
            overruns \(r.overruns), samples missed \(r.samplesMissed), telemetry dropped \(r.telemetryDropped)
            frames sent \(r.frames.sent), received \(r.frames.received), corrupt \(r.frames.corrupt), lost \(r.frames.lost)
            realtime: SCHED_FIFO \(r.realtime.fifoPriority.map(String.init) ?? "no"), mlockall \(r.realtime.memoryLocked ? "yes" : "no")\
            \(r.realtime.warnings.isEmpty ? "" : "\n" + r.realtime.warnings.map { "warning: \($0)" }.joined(separator: "\n"))
            """
    }
}
