import Foundation
import Synchronization

/// Background CPU load: one busy thread per core at ordinary priority, as a build or a learner
/// on the robot computer would be. The controller's loop (SCHED_FIFO) and the twin's device
/// clock (SCHED_FIFO) must hold their schedules against it.
public final class CPUHog: Sendable {
    private let running = Atomic<Bool>(false)
    private let finished = Atomic<Int>(0)
    public let threads: Int

    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount) { self.threads = max(1, threads) }

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
        // An LCG the optimiser cannot remove: its state is read back after the loop.
        var x: UInt64 = 0x9E37_79B9
        while running.load(ordering: .relaxed) {
            for _ in 0..<10_000 { x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
        }
        if x == 42 { print("") }
        finished.add(1, ordering: .releasing)
    }
}
