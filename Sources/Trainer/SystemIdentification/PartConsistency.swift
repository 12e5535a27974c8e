import Foundation

/// Cross-checks of the fit: the recordings cut into parts (each recording into `perRecording`
/// runs of whole replay segments, about equal in samples), and for each part d what it alone
/// says about each parameter — and what all parts but d say (leave-one-out) — linearised at
/// the joint optimum:
///
///     δ_d = −(J_dᵀJ_d)⁺·J_dᵀr_d,   σ_d,j = √(s_d²·[(J_dᵀJ_d)⁺]_jj)
///
/// (J_d, r_d the rows of the joint Jacobian and residuals that belong to the part, s_d² its
/// residual variance inflated by its autocorrelation). Part d *pins* parameter j when σ_d,j is
/// within the identifiability tolerance; its estimate is then value_j + δ_d,j.
///
/// Why parts and not only recordings: noise does not make parts disagree, a replay that does not
/// reproduce the robot does — but only where the error acts differently. A chirp's first half
/// (1–4 Hz) and second half (4–8 Hz) stress the unmodelled timing differently, so halves catch
/// biases that a recording-level check misses when only one recording pins a parameter
/// (measured: seed 3 of scripts/sysid-figures.sh, k_e 11.6 % off with ±1.9 % from the curvature
/// and nothing to compare it with at the recording level).
struct PartConsistency {
    struct Part {
        var name: String
        /// Rows of the concatenated residual vector (four per sample).
        var rows: Range<Int>
    }

    /// What one part says about one parameter.
    struct Estimate: Sendable {
        var part: String
        var value: Double
        var uncertainty: Double
    }

    static let residualsPerSample = 4

    /// The parts of `data`: each recording's segments in `perRecording` consecutive runs, a
    /// segment going to the part its middle sample falls in (so a short last segment — a
    /// tapered end — joins its neighbour rather than making a part of its own).
    static func parts(of data: [ReplayData], perRecording: Int) -> [Part] {
        var parts: [Part] = []
        var offset = 0
        for recording in data {
            let name = URL(fileURLWithPath: recording.file).lastPathComponent
            let segments = recording.segments
            guard !segments.isEmpty else { continue }
            let k = max(1, min(perRecording, segments.count))
            let total = Double(recording.sampleCount)
            var before = 0.0
            var groups = [[Range<Int>]](repeating: [], count: k)
            for segment in segments {
                let middle = before + Double(segment.count) / 2
                groups[min(k - 1, Int(Double(k) * middle / total))].append(segment)
                before += Double(segment.count)
            }
            for group in groups where !group.isEmpty {
                let rows = residualsPerSample * group.reduce(0) { $0 + $1.count }
                let from = recording.times[group[0].lowerBound], to = recording.times[group[group.count - 1].upperBound - 1]
                let label = k == 1 ? name : name + String(format: " %.0f–%.0f s", from, to)
                parts.append(Part(name: label, rows: offset..<(offset + rows)))
                offset += rows
            }
        }
        return parts
    }

    /// What the parts say: per parameter, the estimates of the parts that pin it by
    /// themselves, and the leave-one-out estimates (every part but one, in turn) when the rest
    /// still pins it — nil for a parameter some part is needed for.
    struct Analysis {
        var alone: [[Estimate]]
        var leaveOneOut: [[Estimate]?]
    }

    /// Per parameter, the estimates of the parts that pin it (tolerance per parameter), and the
    /// jackknife: the same linearised step from all parts but d, δ₋d = −(Σ_{e≠d} A_e)⁺·Σ_{e≠d} g_e.
    static func analyse(parts: [Part], jacobian: [[Double]], residuals r0: [Double], values: [Double],
                        tolerances: [Double]) -> Analysis {
        let p = values.count
        var alone = [[Estimate]](repeating: [], count: p)
        var leaveOneOut = [[Estimate]?](repeating: [], count: p)
        var normals: [(a: [[Double]], g: [Double], squares: Double, rows: Int)] = []
        for part in parts where part.rows.upperBound <= r0.count {
            let range = part.rows
            var a = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            var g = [Double](repeating: 0, count: p)
            var squares = 0.0
            for i in range { squares += r0[i] * r0[i] }
            for x in 0..<p {
                for i in range { g[x] += jacobian[x][i] * r0[i] }
                for y in x..<p {
                    var sum = 0.0
                    for i in range { sum += jacobian[x][i] * jacobian[y][i] }
                    a[x][y] = sum; a[y][x] = sum
                }
            }
            normals.append((a, g, squares, range.count))
            guard range.count > p else { continue }
            let s2 = squares / Double(range.count - p)
                * Identifiability.autocorrelationInflation(Array(r0[range]), stride: residualsPerSample)
            for (j, estimate) in step(a, g, s2: s2, values: values).enumerated() where estimate.uncertainty <= tolerances[j] {
                alone[j].append(Estimate(part: part.name, value: estimate.value, uncertainty: estimate.uncertainty))
            }
        }
        guard normals.count > 1 else { return Analysis(alone: alone, leaveOneOut: [[Estimate]?](repeating: nil, count: p)) }
        let inflation = Identifiability.autocorrelationInflation(r0, stride: residualsPerSample)
        for (d, part) in parts.enumerated() where d < normals.count {
            var a = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
            var g = [Double](repeating: 0, count: p)
            var squares = 0.0, rows = 0
            for (e, n) in normals.enumerated() where e != d {
                for x in 0..<p { g[x] += n.g[x]; for y in 0..<p { a[x][y] += n.a[x][y] } }
                squares += n.squares; rows += n.rows
            }
            let s2 = squares / Double(max(rows - p, 1)) * inflation
            for (j, estimate) in step(a, g, s2: s2, values: values).enumerated() {
                if estimate.uncertainty <= tolerances[j] {
                    leaveOneOut[j]?.append(Estimate(part: "all but " + part.name, value: estimate.value, uncertainty: estimate.uncertainty))
                } else {
                    leaveOneOut[j] = nil
                }
            }
        }
        return Analysis(alone: alone, leaveOneOut: leaveOneOut)
    }

    /// value + δ and σ per parameter for the normal equations A·δ = −g with residual variance s².
    private static func step(_ a: [[Double]], _ g: [Double], s2: Double, values: [Double]) -> [(value: Double, uncertainty: Double)] {
        let inverse = SymmetricEigen.pseudoInverse(a)
        return values.indices.map { j in
            let sigma = (s2 * inverse[j][j]).squareRoot()
            var delta = 0.0
            for k in values.indices where inverse[j][k].isFinite { delta -= inverse[j][k] * g[k] }
            return (values[j] + delta, sigma.isFinite ? sigma : .infinity)
        }
    }
}
