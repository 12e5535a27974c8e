/// The first request of each recent period (sequence number and send time), so a pipelined
/// period can find the request whose answer it waits for. Preallocated: a fixed ring.
struct RequestHistory {
    private static let size = 16
    private var ticks = [Int64](repeating: -1, count: size)
    private var sequences = [UInt16](repeating: 0, count: size)
    private var times = [Int64](repeating: 0, count: size)

    mutating func record(tick: Int64, sequence: UInt16, sentNanoseconds: Int64) {
        let slot = Int(tick % Int64(Self.size))
        ticks[slot] = tick
        sequences[slot] = sequence
        times[slot] = sentNanoseconds
    }

    /// The request of period `tick − depth`, or, where that period sent none or was sent before
    /// `notBefore` (periods skipped in between), the oldest later one that qualifies; this
    /// period's own (recorded first) otherwise.
    func base(tick: Int64, depth: Int, notBefore: Int64) -> (sequence: UInt16, sentNanoseconds: Int64) {
        var lag = min(depth, Self.size - 1)
        while lag > 0 {
            let slot = Int((tick - Int64(lag)) % Int64(Self.size))
            if tick - Int64(lag) >= 0, ticks[slot] == tick - Int64(lag), times[slot] >= notBefore {
                return (sequences[slot], times[slot])
            }
            lag -= 1
        }
        let slot = Int(tick % Int64(Self.size))
        return (sequences[slot], times[slot])
    }
}
