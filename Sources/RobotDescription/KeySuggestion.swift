/// The known key nearest to a mistyped one, for "did you mean …?" in error messages.
public enum KeySuggestion {
    /// The candidate with the smallest edit distance to `key` (case-insensitive), if that
    /// distance is at most a third of the key's length (at least 1): a typo, not another word.
    public static func nearest(to key: String, among candidates: [String]) -> String? {
        let target = Array(key.lowercased())
        var best: (key: String, distance: Int)?
        for candidate in candidates {
            let d = editDistance(target, Array(candidate.lowercased()))
            if d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        guard let best, best.distance <= max(1, target.count / 3) else { return nil }
        return best.key
    }

    /// Levenshtein distance: the fewest single-character insertions, deletions and
    /// substitutions turning `a` into `b` (dynamic programming over one row).
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var diagonal = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let above = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1))
                diagonal = above
            }
        }
        return row[b.count]
    }
}
