#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Background CPU load: one busy thread per core (SCHED_OTHER at `nice`), as a build or a
/// learner on the robot computer would be. The controller's loop (SCHED_FIFO) and the twin's
/// device clock (SCHED_FIFO) must hold their schedules against it.
///
/// Why a nice value at all: the bytes of a pty (and of a USB-serial port) cross the kernel's tty
/// layer in a workqueue thread (kworker, SCHED_OTHER nice 0), which a hog at nice 0 gets an
/// equal share with; on this 2-core VM shared by other jobs that stretched the link's round trip
/// by 5–25 ms and tripped the firmware watchdog. Background work on a robot computer is run
/// niced (this project's scripts build with `nice -n 10`); `nice` 0 is the harshest setting.
public final class CPUHog: Sendable {
    private let running = Atomic<Bool>(false)
    private let finished = Atomic<Int>(0)
    public let threads: Int
    public let nice: Int32

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, nice: Int32 = 10) {
        self.threads = max(1, threads)
        self.nice = nice
    }

    public func start() {
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.store(0, ordering: .releasing)
        for index in 0..<threads {
            let thread = Thread { [self] in spin() }
            thread.name = "furuta-hog-\(index)"
            thread.start()
        }
    }

    /// Stops the threads and waits until they have left their loops.
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        while finished.load(ordering: .acquiring) < threads { usleep(1000) }
    }

    private func spin() {
        // setpriority(PRIO_PROCESS, 0): on Linux a nice value is per thread, and 0 is the caller.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, nice)
        // An LCG the optimiser cannot remove: its state is read back after the loop.
        var x: UInt64 = 0x9E37_79B9
        while running.load(ordering: .relaxed) {
            for _ in 0..<10_000 { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
        }
        if x == 42 { print("") }
        finished.add(1, ordering: .releasing)
    }
}
