/// Fewer points for long series without losing peaks: split the indices into `buckets` and keep
/// each bucket's minimum and maximum (in their order), so a 1 kHz log still shows every spike.
enum Decimation {
    static func minMax(_ indices: [Int], y: [Double], buckets: Int) -> [Int] {
        guard indices.count > 2 * buckets else { return indices }
        var kept: [Int] = []
        kept.reserveCapacity(2 * buckets)
        let size = Double(indices.count) / Double(buckets)
        for b in 0..<buckets {
            let slice = indices[Int(Double(b) * size)..<min(indices.count, Int(Double(b + 1) * size))]
            guard let lo = slice.min(by: { y[$0] < y[$1] }), let hi = slice.max(by: { y[$0] < y[$1] }) else { continue }
            kept += lo < hi ? [lo, hi] : lo == hi ? [lo] : [hi, lo]
        }
        return kept
    }
}
