import Synchronization

/// A single-producer single-consumer ring of `TickRecord`s: the loop thread pushes, the drain
/// thread pops. Storage is allocated once; `push` is two atomic loads, a copy and a release
/// store, never blocks and never allocates. When full, the record is dropped and counted (the
/// loop must not wait for the disk).
///
/// Indices grow without bound (Int, 2⁶³ ticks); slot = index & (capacity − 1).
public final class TelemetryRing: @unchecked Sendable {
    private let slots: UnsafeMutablePointer<TickRecord>
    public let capacity: Int
    private let mask: Int
    /// Next slot the producer writes. Written by the producer only.
    private let head = Atomic<Int>(0)
    /// Next slot the consumer reads. Written by the consumer only.
    private let tail = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)

    /// `capacity` is rounded up to a power of two. 65 536 records hold 65 s at 1 kHz.
    public init(capacity: Int = 65_536) {
        var size = 1
        while size < capacity { size <<= 1 }
        self.capacity = size
        mask = size - 1
        slots = .allocate(capacity: size)
        slots.initialize(repeating: TickRecord(), count: size)
    }

    deinit { slots.deallocate() }

    /// Producer side. Returns false (and counts a drop) when the ring is full.
    @discardableResult
    public func push(_ record: TickRecord) -> Bool {
        let h = head.load(ordering: .relaxed)
        let t = tail.load(ordering: .acquiring)
        if h - t >= capacity {
            droppedCount.add(1, ordering: .relaxed)
            return false
        }
        slots[h & mask] = record
        head.store(h + 1, ordering: .releasing)
        return true
    }

    /// Consumer side: calls `body` for every record available now, oldest first; returns how many.
    @discardableResult
    public func drain(_ body: (TickRecord) -> Void) -> Int {
        let t = tail.load(ordering: .relaxed)
        let h = head.load(ordering: .acquiring)
        var i = t
        while i < h {
            body(slots[i & mask])
            i += 1
        }
        tail.store(h, ordering: .releasing)
        return h - t
    }

    /// Records dropped because the ring was full.
    public var dropped: Int { droppedCount.load(ordering: .relaxed) }
    /// Records pushed so far.
    public var pushed: Int { head.load(ordering: .relaxed) }
}
