/// Inverted dropout masks: each element is kept with probability 1 − p and scaled by 1/(1 − p)
/// (so the expectation is unchanged), or zeroed. DroQ's p is about 0.01, so instead of one
/// random number per element the gaps between dropped elements are drawn: the number of kept
/// elements before the next dropped one is geometric, ⌊ln U / ln(1 − p)⌋ for U uniform in (0, 1]
/// (inverse transform), one random number per *dropped* element.
enum Dropout {
    static func drawMask(_ mask: UnsafeMutablePointer<Float>, count: Int, probability p: Float,
                         rng: UnsafeMutablePointer<Xoshiro256StarStar>) {
        let keep = 1 / (1 - p)
        for i in 0..<count { mask[i] = keep }
        let logKeep = _log(1 - Double(p))
        var i = -1
        while true {
            let u = 1 - rng.pointee.nextUniform()   // (0, 1]
            let gap = (_log(u) / logKeep).rounded(.down)
            guard gap < Double(count) else { return }
            i += Int(gap) + 1
            guard i < count else { return }
            mask[i] = 0
        }
    }
}
