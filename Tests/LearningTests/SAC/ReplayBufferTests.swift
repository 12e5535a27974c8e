import Testing
@testable import Learning

@Suite("Replay buffer")
struct ReplayBufferTests {
    func add(_ buffer: inout ReplayBuffer, _ k: Int, terminal: Bool = false) {
        let o: [Float] = [Float(k), -Float(k)], a: [Float] = [Float(k) / 100], next: [Float] = [Float(k) + 0.5, 0]
        o.withUnsafeBufferPointer { o in a.withUnsafeBufferPointer { a in next.withUnsafeBufferPointer { n in
            buffer.add(observation: o, action: a, reward: Float(10 * k), terminal: terminal, nextObservation: n)
        } } }
    }

    @Test func wrapsAroundOverwritingTheOldestRows() {
        var buffer = ReplayBuffer(capacity: 5, observationSize: 2, actionSize: 1)
        for k in 0..<7 { add(&buffer, k) }
        #expect(buffer.count == 5)
        #expect(buffer.head == 2)
        #expect(buffer.added == 7)
        // Oldest first: transitions 2, 3, 4, 5, 6; rows 0 and 1 hold 5 and 6.
        let oldestFirst = (0..<5).map { buffer.row(buffer.storageIndex(ofOldest: $0))[0] }
        #expect(oldestFirst == [2, 3, 4, 5, 6])
        #expect(buffer.row(0)[0] == 5 && buffer.row(1)[0] == 6)
        let row = buffer.row(1)
        #expect(Array(row) == [6, -6, 0.06, 60, 0, 6.5, 0])
    }

    @Test func snapshotRestoresRowsAndCountersBitForBit() throws {
        var buffer = ReplayBuffer(capacity: 4, observationSize: 2, actionSize: 1)
        for k in 0..<6 { add(&buffer, k, terminal: k == 3) }
        var copy = ReplayBuffer(capacity: 4, observationSize: 2, actionSize: 1)
        try copy.restore(buffer.snapshot())
        #expect(copy.snapshot() == buffer.snapshot())
        for i in 0..<4 { #expect(Array(copy.row(i)) == Array(buffer.row(i))) }
        var wrong = ReplayBuffer(capacity: 8, observationSize: 2, actionSize: 1)
        #expect(throws: TrainerStateMismatch.self) { try wrong.restore(buffer.snapshot()) }
    }
}
