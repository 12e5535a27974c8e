import Foundation
import Synchronization

/// Between a source and the browsers: frames go out to every subscriber (each keeps only the
/// newest few if it falls behind), and what the page sends back (keyboard duty, replay speed,
/// restart) waits here for the source to read.
public final class FrameHub: Sendable {
    public struct Controls: Sendable, Equatable {
        /// Set by the arrow keys, in [−1, 1].
        public var keyboardDuty = 0.0
        /// Replay speed, × real time.
        public var speed = 1.0
        /// Incremented by the page's restart button; sources restart when it changes.
        public var restarts = 0
    }

    private struct State {
        var subscribers: [UInt64: AsyncStream<String>.Continuation] = [:]
        var nextID: UInt64 = 0
        var latest: ViewFrame?
        var published = 0
        var controls = Controls()
    }

    private let state: Mutex<State>
    /// Shown on the page: what the frames come from.
    public let sourceDescription: String
    /// At most this many frames a second reach the browsers (sources may run at 1 kHz).
    public let maximumRateHz: Double

    public init(sourceDescription: String, initialSpeed: Double = 1, maximumRateHz: Double = 60) {
        var s = State()
        s.controls.speed = initialSpeed
        state = Mutex(s)
        self.sourceDescription = sourceDescription
        self.maximumRateHz = maximumRateHz
    }

    public var controls: Controls { state.withLock { $0.controls } }
    public var latest: ViewFrame? { state.withLock { $0.latest } }
    public var framesPublished: Int { state.withLock { $0.published } }

    /// Sends `frame` unless the last one went out less than 1/maximumRateHz ago (source time).
    public func publish(_ frame: ViewFrame) {
        let subscribers: [AsyncStream<String>.Continuation]? = state.withLock { s in
            if let last = s.latest, frame.timeS >= last.timeS, frame.timeS - last.timeS < 1 / maximumRateHz { return nil }
            s.latest = frame
            s.published += 1
            return Array(s.subscribers.values)
        }
        guard let subscribers else { return }
        let message = frame.json()
        for c in subscribers { c.yield(message) }
    }

    /// A stream of JSON frames for one browser; it ends when `onTermination` runs.
    public func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let id = state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            s.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) } }
        return stream
    }

    /// A message from the page: {"duty": x} (arrow keys), {"speed": x}, {"restart": true}.
    public func receive(_ message: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(message.utf8)) as? [String: Any] else { return }
        state.withLock { s in
            if let duty = object["duty"] as? Double, duty.isFinite { s.controls.keyboardDuty = min(1, max(-1, duty)) }
            if let speed = object["speed"] as? Double, speed.isFinite, speed > 0 { s.controls.speed = min(1000, speed) }
            if object["restart"] as? Bool == true { s.controls.restarts += 1 }
        }
    }
}
