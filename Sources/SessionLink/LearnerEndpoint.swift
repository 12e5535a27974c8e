import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The learner's end of the link (`furuta learn`): accepts the controller, authenticates it
/// (`LinkHandshake`), and turns what it streams into episode logs in the learner's own
/// `episodes/` — where the learner's folder poll ingests them, each exactly once by name:
///
/// - `episodeStart` (with the log's header) and `episodeRows` (the rows as the controller's
///   drain thread wrote them) build the running episode in memory;
/// - `episodeComplete` carries the SHA-256 of the finished file: the streamed copy is written
///   when it matches; when rows were dropped on the way (a slow learner) it asks for the file
///   (`want`) instead;
/// - `inventory` (sent at every connect) lists the controller's complete episodes: the learner
///   asks for each one its folder lacks — a restarted or late learner catches up this way.
///
/// When the learner shares the controller's folder, every episode is already there and the
/// link only confirms it. Policies go the other way (`publish`): the newest is sent at every
/// connect, each new one when published. One controller at a time; a new authenticated one
/// (a restarted controller) replaces the old connection.
public final class LearnerEndpoint: @unchecked Sendable {
    public let listener: LinkListener
    let secret: SessionSecret
    let episodes: EpisodeFiles
    let report: @Sendable (String) -> Void
    private let stopFlag = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let current = Mutex<LinkSocket?>(nil)
    private let newestPolicy = Mutex<LinkFrame?>(nil)
    /// Episodes written from the link (streamed whole, or sent as files on `want`).
    public let episodesReceived = Atomic<Int>(0)
    public let controllersRefused = Atomic<Int>(0)

    public init(listener: LinkListener, secret: SessionSecret, episodesDirectory: String, report: @escaping @Sendable (String) -> Void) {
        self.listener = listener
        self.secret = secret
        episodes = EpisodeFiles(directory: episodesDirectory)
        self.report = report
    }

    public func start() {
        let thread = Thread { [self] in
            while !stopFlag.load(ordering: .acquiring) {
                guard let socket = listener.accept(timeoutMilliseconds: 200) else { continue }
                serve(authenticated(socket))
            }
            finished.signal()
        }
        thread.name = "furuta-learner-link"
        thread.start()
    }

    public func stop() {
        guard !stopFlag.exchange(true, ordering: .acquiringAndReleasing) else { return }
        finished.wait()
    }

    /// Sends candidate `number` to the controller now (if one is connected) and to every
    /// controller that connects later, until a newer one is published.
    public func publish(number: Int, policy: [UInt8], exploration: [UInt8]) {
        let frame = LinkFrame.policy(number: number, policy: policy, exploration: exploration)
        newestPolicy.withLock { $0 = frame }
        if let socket = current.withLock({ $0 }) { send(frame, on: socket) }
    }

    /// A send that failed may have left half a frame on the stream: the connection is shut down
    /// (the controller reconnects, and gets the newest policy again at once).
    private func send(_ frame: LinkFrame, on socket: LinkSocket) {
        do { try socket.send(frame, timeoutMilliseconds: 2_000) } catch {
            report("link: \(error.description); closing the connection")
            socket.shutdownBoth()
        }
    }

    private func authenticated(_ socket: LinkSocket) -> LinkSocket? {
        do {
            try LinkHandshake.accept(socket, secret: secret)
            report("link: controller connected from \(socket.peer)")
            return socket
        } catch {
            controllersRefused.add(1, ordering: .relaxed)
            report("link: \(error.description)")
            return nil
        }
    }

    /// Serves `socket` until it closes or a newer controller replaces it.
    private func serve(_ first: LinkSocket?) {
        var socket = first
        var assembling: (index: Int, bytes: [UInt8])?
        while let link = socket, !stopFlag.load(ordering: .acquiring) {
            current.withLock { $0 = link }
            if let policy = newestPolicy.withLock({ $0 }) { send(policy, on: link) }
            do {
                while !stopFlag.load(ordering: .acquiring) {
                    if let frame = try link.receive(timeoutMilliseconds: 200) {
                        try handle(frame, on: link, assembling: &assembling)
                        continue
                    }
                    // Idle: a restarted controller whose old connection is half-open takes over.
                    if let next = listener.accept(timeoutMilliseconds: 0), let fresh = authenticated(next) {
                        socket = fresh
                        assembling = nil
                        break
                    }
                }
            } catch {
                report("link: \(error.description); waiting for the controller to reconnect")
                socket = nil
            }
            current.withLock { if $0 === link { $0 = nil } }
        }
    }

    private func handle(_ frame: LinkFrame, on link: LinkSocket, assembling: inout (index: Int, bytes: [UInt8])?) throws(LinkError) {
        switch frame.kind {
        case .episodeStart:
            guard let (index, header) = frame.episodePayload else { return }
            assembling = (index, Array(header))
        case .episodeRows:
            guard let (index, rows) = frame.episodePayload, assembling?.index == index else { return }
            assembling?.bytes.append(contentsOf: rows)
        case .episodeComplete:
            guard let (index, digest) = frame.episodePayload else { return }
            if let streamed = assembling, streamed.index == index, EpisodeFiles.digest(streamed.bytes) == Array(digest) {
                if try episodes.writeIfAbsent(index, streamed.bytes) {
                    episodesReceived.add(1, ordering: .relaxed)
                    report("link: episode \(index) received as it ran (\(streamed.bytes.count) bytes)")
                }
            } else if !episodes.exists(index) {
                try link.send(.episode(.want, index), timeoutMilliseconds: 2_000)
            }
            assembling = nil
        case .episodeFile:
            guard let (index, bytes) = frame.episodePayload else { return }
            if try episodes.writeIfAbsent(index, Array(bytes)) {
                episodesReceived.add(1, ordering: .relaxed)
                report("link: episode \(index) received from the controller's folder (\(bytes.count) bytes)")
            }
        case .inventory:
            for index in frame.inventoryIndices where !episodes.exists(index) {
                try link.send(.episode(.want, index), timeoutMilliseconds: 2_000)
            }
        default:
            throw LinkError("the controller sent an unexpected \(frame.kind) message")
        }
    }
}
