import Foundation

/// The off-policy learner's memory: a ring of `capacity` transitions allocated once, each row
///
///     [ observation (o) | action (a) | reward | terminal | next observation (o) ]
///
/// with raw (unnormalised) observations and the env's actions in [−1, 1]. `terminal` is 1 only
/// for a true terminal state (no bootstrap); a time-limit truncation stores 0 and the episode's
/// final observation as `next`, so the target bootstraps from it. When full, the oldest row is
/// overwritten (`head` wraps around).
public struct ReplayBuffer: @unchecked Sendable {
    public let capacity: Int
    public let observationSize: Int
    public let actionSize: Int
    public var rowWidth: Int { 2 * observationSize + actionSize + 2 }
    /// Rows held (≤ capacity).
    public private(set) var count = 0
    /// Where the next row goes.
    public private(set) var head = 0
    /// Rows ever added.
    public private(set) var added = 0
    private var storage: Storage

    /// Reference storage so copies of the struct do not duplicate megabytes; `snapshot` copies.
    final class Storage: @unchecked Sendable {
        let rows: UnsafeMutableBufferPointer<Float>
        init(count: Int) { rows = .allocate(capacity: count); rows.initialize(repeating: 0) }
        deinit { rows.deallocate() }
    }

    public init(capacity: Int, observationSize: Int, actionSize: Int) {
        precondition(capacity > 0, "ReplayBuffer: capacity \(capacity)")
        self.capacity = capacity
        self.observationSize = observationSize
        self.actionSize = actionSize
        storage = Storage(count: capacity * (2 * observationSize + actionSize + 2))
    }

    /// Append one transition (overwriting the oldest when full).
    public mutating func add(observation: UnsafeBufferPointer<Float>, action: UnsafeBufferPointer<Float>,
                             reward: Float, terminal: Bool, nextObservation: UnsafeBufferPointer<Float>) {
        let o = observationSize, a = actionSize
        let row = storage.rows.baseAddress! + head * rowWidth
        for i in 0..<o { row[i] = observation[i] }
        for j in 0..<a { row[o + j] = action[j] }
        row[o + a] = reward
        row[o + a + 1] = terminal ? 1 : 0
        for i in 0..<o { row[o + a + 2 + i] = nextObservation[i] }
        head = (head + 1) % capacity
        count = min(count + 1, capacity)
        added += 1
    }

    /// Row `index` (0 ≤ index < count, in storage order).
    public func row(_ index: Int) -> UnsafeBufferPointer<Float> {
        UnsafeBufferPointer(start: storage.rows.baseAddress! + index * rowWidth, count: rowWidth)
    }

    /// The oldest-first index of storage row `k` (for tests of the wrap-around).
    public func storageIndex(ofOldest k: Int) -> Int { count < capacity ? k : (head + k) % capacity }

    // MARK: checkpoints

    /// The filled rows (oldest first) and counters, bit for bit.
    public struct Snapshot: Sendable, Codable, Equatable {
        var capacity: Int
        var rowWidth: Int
        var head: Int
        var count: Int
        var added: Int
        /// The rows 0..<count as raw little-endian Float bits (JSON carries it as base64).
        var rows: Data
    }

    public func snapshot() -> Snapshot {
        let bytes = Data(buffer: UnsafeBufferPointer(rebasing: storage.rows[0..<(count * rowWidth)]))
        return Snapshot(capacity: capacity, rowWidth: rowWidth, head: head, count: count, added: added, rows: bytes)
    }

    public mutating func restore(_ s: Snapshot) throws(TrainerStateMismatch) {
        guard s.capacity == capacity, s.rowWidth == rowWidth, s.rows.count == s.count * rowWidth * MemoryLayout<Float>.size else {
            throw TrainerStateMismatch(description: "the checkpoint's replay buffer (capacity \(s.capacity), row \(s.rowWidth)) does not fit this configuration (capacity \(capacity), row \(rowWidth))")
        }
        let destination = UnsafeMutableRawBufferPointer(storage.rows)
        s.rows.withUnsafeBytes { source in destination.copyMemory(from: source) }
        head = s.head
        count = s.count
        added = s.added
    }
}
