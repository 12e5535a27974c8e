import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import MonotonicTime
import SessionLink

/// The controller's end of the link to `furuta learn` (docs/sessions.md "How the two processes
/// talk"): a thread of its own that connects (again and again while the learner is absent),
/// authenticates both ways (`LinkHandshake`), and sends what the session hands it:
///
/// - from the telemetry drain thread, `offerRows`: each batch of the running episode's log rows,
///   put on a bounded queue and never waited for — when the learner is slow, stalled or absent
///   the batch is dropped (counted) and the learner gets the whole file from the folder later;
/// - from the session thread between episodes, `beginEpisode` and `episodeRecorded` (the
///   finished file's SHA-256, so the learner knows whether its streamed copy is whole).
///
/// At every connect it sends the folder's list of complete episodes; the learner asks
/// (`want`) for those it lacks and this thread sends them from the folder, which stays the
/// source of truth. Candidate policies arriving from the learner are written into
/// DIR/candidates (with their exploration) when absent, where the session checks them as any
/// other. The loop thread never touches any of this.
public final class LearnerLink: @unchecked Sendable {
    public let address: LinkAddress
    let secret: SessionSecret
    let folder: SessionFolder
    let queueCapacityBytes: Int
    let report: @Sendable (String) -> Void
    /// Seconds to wait for the learner to take bytes before the connection is given up as stalled.
    public var sendTimeoutMilliseconds: Int32 = 2_000
    /// The kernel's send buffer for the connection (nil: the default; tests of a stalled learner
    /// shrink it so the stall shows within an episode).
    public var socketSendBufferBytes: Int32?

    private struct Queue {
        var frames: [LinkFrame] = []
        var bytes = 0
        var connected = false
    }
    private let queue = Mutex(Queue())
    private let stopFlag = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let episodeIndex = Atomic<Int>(0)
    /// Row batches dropped because the queue was full or no learner was connected.
    public let droppedBatches = Atomic<Int>(0)
    public let sentBatches = Atomic<Int>(0)
    public let policiesReceived = Atomic<Int>(0)
    public let connections = Atomic<Int>(0)
    /// The longest `offerRows` took, ns: what the drain thread ever waited on the link.
    public let longestOfferNanoseconds = Atomic<Int64>(0)
    /// The last failure to connect or authenticate (shown once per change, not every second).
    private let lastProblem = Mutex<String?>(nil)

    public init(address: LinkAddress, secret: SessionSecret, folder: SessionFolder, queueCapacityBytes: Int = 4 << 20,
                report: @escaping @Sendable (String) -> Void) {
        self.address = address
        self.secret = secret
        self.folder = folder
        self.queueCapacityBytes = queueCapacityBytes
        self.report = report
    }

    public var isConnected: Bool { queue.withLock { $0.connected } }

    public func start() {
        let thread = Thread { [self] in
            RealtimeSetup.nameCurrentThread("furuta-learner")
            while !stopFlag.load(ordering: .acquiring) {
                guard let socket = connect() else {
                    _ = waitForStop(milliseconds: 500)
                    continue
                }
                serve(socket)
            }
            finished.signal()
        }
        thread.name = "furuta-learner"
        thread.start()
    }

    /// Stops the thread (after at most one send timeout). Idempotent.
    public func stop() {
        guard !stopFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }

    // MARK: what the session hands over

    /// The drain thread's batch of CSV rows of the running episode. Never blocks: false when it
    /// was dropped (no learner connected, or the queue full).
    @discardableResult
    public func offerRows(_ text: String) -> Bool {
        let index = episodeIndex.load(ordering: .relaxed)
        guard index > 0 else { return false }
        let started = MonotonicClock.nanoseconds()
        defer {
            let took = MonotonicClock.nanoseconds() - started
            if took > longestOfferNanoseconds.load(ordering: .relaxed) { longestOfferNanoseconds.store(took, ordering: .relaxed) }
        }
        let accepted = queue.withLock { q -> Bool in
            guard q.connected, q.bytes + text.utf8.count <= queueCapacityBytes else { return false }
            let frame = LinkFrame.episode(.episodeRows, index, Array(text.utf8))
            q.frames.append(frame)
            q.bytes += frame.payload.count
            return true
        }
        if !accepted { droppedBatches.add(1, ordering: .relaxed) }
        return accepted
    }

    /// Episode `index` starts: its log's header goes first.
    public func beginEpisode(_ index: Int, header: String) {
        episodeIndex.store(index, ordering: .relaxed)
        enqueueControl(.episode(.episodeStart, index, Array((header + "\n").utf8)))
    }

    /// Episode `index` is complete in the folder: the learner compares its streamed copy.
    public func episodeRecorded(_ index: Int) {
        episodeIndex.store(0, ordering: .relaxed)
        guard let bytes = EpisodeFiles(directory: folder.episodesDirectory).read(index) else { return }
        enqueueControl(.episode(.episodeComplete, index, EpisodeFiles.digest(bytes)))
    }

    /// Small bookkeeping frames are queued even past the row budget (they are few and tiny), but
    /// only while connected: a learner that connects later catches up from the inventory.
    private func enqueueControl(_ frame: LinkFrame) {
        queue.withLock { q in
            guard q.connected else { return }
            q.frames.append(frame)
            q.bytes += frame.payload.count
        }
    }

    // MARK: the link thread

    private func waitForStop(milliseconds: Int) -> Bool {
        var left = milliseconds
        while left > 0 {
            if stopFlag.load(ordering: .acquiring) { return true }
            usleep(20_000)
            left -= 20
        }
        return stopFlag.load(ordering: .acquiring)
    }

    private func connect() -> LinkSocket? {
        do {
            let socket = try LinkSocket.connect(address)
            if let bytes = socketSendBufferBytes { socket.setSendBuffer(bytes: bytes) }
            try LinkHandshake.connect(socket, secret: secret)
            return socket
        } catch {
            let text = error.description
            let changed = lastProblem.withLock { last -> Bool in
                defer { last = text }
                return last != text
            }
            if changed { report("learner link: \(text) (retrying; episodes stay in the folder)") }
            return nil
        }
    }

    private func serve(_ socket: LinkSocket) {
        lastProblem.withLock { $0 = nil }
        connections.add(1, ordering: .relaxed)
        report("learner link: connected to \(address)")
        queue.withLock { q in q.frames.removeAll(); q.bytes = 0; q.connected = true }
        defer { queue.withLock { q in q.frames.removeAll(); q.bytes = 0; q.connected = false } }
        let files = EpisodeFiles(directory: folder.episodesDirectory)
        do {
            try socket.send(.inventory(files.indices()), timeoutMilliseconds: sendTimeoutMilliseconds)
            while !stopFlag.load(ordering: .acquiring) {
                let batch = queue.withLock { q -> [LinkFrame] in
                    defer { q.frames.removeAll(keepingCapacity: true); q.bytes = 0 }
                    return q.frames
                }
                for frame in batch {
                    try socket.send(frame, timeoutMilliseconds: sendTimeoutMilliseconds)
                    if frame.kind == .episodeRows { sentBatches.add(1, ordering: .relaxed) }
                }
                if let frame = try socket.receive(timeoutMilliseconds: batch.isEmpty ? 20 : 0) {
                    try handle(frame, on: socket, files: files)
                }
            }
        } catch {
            report("learner link: \(error.description) (reconnecting; episodes stay in the folder)")
        }
    }

    private func handle(_ frame: LinkFrame, on socket: LinkSocket, files: EpisodeFiles) throws(LinkError) {
        switch frame.kind {
        case .want:
            guard let (index, _) = frame.episodePayload, let bytes = files.read(index) else { return }
            try socket.send(.episode(.episodeFile, index, bytes), timeoutMilliseconds: max(sendTimeoutMilliseconds, 10_000))
        case .policy:
            guard let (number, policy, exploration) = frame.policyPayload else { return }
            let path = folder.candidate(number)
            guard access(path, F_OK) != 0 else { return } // the learner shares this folder, or sent it before
            do {
                if !exploration.isEmpty {
                    try EpisodeFiles.writeFile(folder.candidateExploration(number), exploration, mode: 0o644)
                }
                let temporary = folder.candidatesDirectory + "/.candidate-\(number).link"
                try EpisodeFiles.writeFile(temporary, policy, mode: 0o644)
                guard rename(temporary, path) == 0 else { throw LinkError("cannot rename \(temporary) to \(path)") }
                policiesReceived.add(1, ordering: .relaxed)
                report("learner link: candidate \(number) received (\(policy.count) bytes)")
            } catch {
                report("learner link: candidate \(number) could not be stored: \(error)")
            }
        default:
            throw LinkError("the learner sent an unexpected \(frame.kind) message")
        }
    }
}
