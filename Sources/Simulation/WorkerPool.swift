import Foundation

/// A fixed set of threads that run one job over index ranges, started once so stepping a batch
/// allocates nothing: the caller's thread takes the first part, each worker one other part, and
/// `run` returns when all are done. Parts are fixed per worker count, so which thread runs an
/// env never changes its results (every env owns its state and random numbers).
final class WorkerPool: @unchecked Sendable {
    private let job: @Sendable (Range<Int>) -> Void
    private let parts: [Range<Int>]
    private var workers: [Thread] = []
    private let start: [DispatchSemaphore]
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var stopping = false

    /// - Parameters:
    ///   - count: indices 0..<count to cover.
    ///   - threads: total threads including the caller's.
    ///   - job: work on one part; called concurrently on disjoint parts.
    init(count: Int, threads: Int, job: @escaping @Sendable (Range<Int>) -> Void) {
        let threads = max(1, min(threads, count))
        self.job = job
        var parts: [Range<Int>] = []
        for t in 0..<threads { parts.append((t * count / threads)..<((t + 1) * count / threads)) }
        self.parts = parts
        start = (1..<threads).map { _ in DispatchSemaphore(value: 0) }
        for w in 1..<threads {
            let thread = Thread { [unowned self] in self.workerLoop(w) }
            thread.name = "sim-worker-\(w)"
            thread.stackSize = 1 << 20
            workers.append(thread)
            thread.start()
        }
    }

    private func workerLoop(_ w: Int) {
        while true {
            start[w - 1].wait()
            lock.lock(); let quit = stopping; lock.unlock()
            if quit { done.signal(); return }
            job(parts[w])
            done.signal()
        }
    }

    /// Run the job over every part and wait for all of them.
    func run() {
        for semaphore in start { semaphore.signal() }
        job(parts[0])
        for _ in start { done.wait() }
    }

    /// Stop the workers (called from `deinit` of the owner).
    func shutdown() {
        lock.lock(); stopping = true; lock.unlock()
        for semaphore in start { semaphore.signal() }
        for _ in start { done.wait() }
    }
}
