import Learning
import Simulation

/// One direction of a `LinkModel`: chunks go in with the time they were written and come out
/// when the model says they arrive, in order. Times are ns on the twin's monotonic clock.
struct DelayLine {
    private let byteNanoseconds: Int64
    private let frameNanoseconds: Int64
    private let latency: LatencyDistribution
    private var random: SplitMix64
    private var queue: [(ready: Int64, bytes: [UInt8])] = []
    private var head = 0
    /// When the UART finishes sending what it already has.
    private var lineFree: Int64 = 0
    /// Arrival of the last chunk queued: the next cannot arrive before it.
    private var lastReady: Int64 = 0

    init(model: LinkModel, latency: LatencyDistribution, seed: UInt64) {
        byteNanoseconds = model.byteNanoseconds
        frameNanoseconds = max(0, model.usbFrame.nanosecondsValue)
        self.latency = latency
        random = SplitMix64(seed: seed)
        queue.reserveCapacity(64)
    }

    var isEmpty: Bool { head == queue.count }

    /// When the oldest queued chunk arrives, nil if none is queued.
    var nextReady: Int64? { isEmpty ? nil : queue[head].ready }

    /// ready = max(t, line free) + n·t_byte + latency, up to the next USB frame boundary,
    /// not before the previous chunk.
    mutating func push(_ bytes: [UInt8], at now: Int64) {
        guard !bytes.isEmpty else { return }
        lineFree = max(now, lineFree) + Int64(bytes.count) * byteNanoseconds
        var ready = lineFree + latency.sample(using: &random)
        if frameNanoseconds > 0 { ready = (ready + frameNanoseconds - 1) / frameNanoseconds * frameNanoseconds }
        ready = max(ready, lastReady)
        lastReady = ready
        queue.append((ready, bytes))
    }

    /// Hands every chunk that has arrived by `now` to `deliver`, oldest first.
    mutating func release(upTo now: Int64, _ deliver: ([UInt8]) -> Void) {
        while head < queue.count, queue[head].ready <= now {
            deliver(queue[head].bytes)
            head += 1
        }
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        }
    }

    /// Drops everything in flight (the cable was pulled, the device reset).
    mutating func clear() {
        queue.removeAll(keepingCapacity: true)
        head = 0
    }
}
