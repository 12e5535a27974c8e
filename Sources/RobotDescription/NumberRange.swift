import Foundation

/// The range a number must lie in to make physical or computational sense, with the wording
/// every error message uses: the key or flag, the value found and the range allowed, e.g.
/// `control.rate_hz: must be in [1, 10000], found 1e+300`. NaN and ±∞ are never in a range.
public struct NumberRange: Sendable, Equatable, CustomStringConvertible {
    public var lower: Double
    public var lowerIncluded: Bool
    public var upper: Double
    public var upperIncluded: Bool

    public init(lower: Double, lowerIncluded: Bool, upper: Double, upperIncluded: Bool) {
        self.lower = lower
        self.lowerIncluded = lowerIncluded
        self.upper = upper
        self.upperIncluded = upperIncluded
    }

    /// lower ≤ x ≤ upper
    public static func closed(_ lower: Double, _ upper: Double) -> NumberRange {
        NumberRange(lower: lower, lowerIncluded: true, upper: upper, upperIncluded: true)
    }

    /// lower < x ≤ upper
    public static func above(_ lower: Double, upTo upper: Double) -> NumberRange {
        NumberRange(lower: lower, lowerIncluded: false, upper: upper, upperIncluded: true)
    }

    /// lower ≤ x < upper
    public static func halfOpen(_ lower: Double, _ upper: Double) -> NumberRange {
        NumberRange(lower: lower, lowerIncluded: true, upper: upper, upperIncluded: false)
    }

    /// Any finite number.
    public static let finite = NumberRange(lower: -.greatestFiniteMagnitude, lowerIncluded: true,
                                           upper: .greatestFiniteMagnitude, upperIncluded: true)

    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        let aboveLower = lowerIncluded ? x >= lower : x > lower
        let belowUpper = upperIncluded ? x <= upper : x < upper
        return aboveLower && belowUpper
    }

    /// "[1, 10000]", "(0, 3600]", "any finite number".
    public var description: String {
        if self == .finite { return "any finite number" }
        // Bounds to 6 significant digits (2π reads 6.28319); the value found is shown in full.
        func bound(_ x: Double) -> String { x == x.rounded() ? Self.format(x) : String(format: "%.6g", x) }
        return (lowerIncluded ? "[" : "(") + bound(lower) + ", " + bound(upper) + (upperIncluded ? "]" : ")")
    }

    /// What is wrong with `x`, or nil when it is in range.
    public func problem(with x: Double) -> String? {
        contains(x) ? nil : "must be \(self == .finite ? "a finite number" : "in \(description)"), found \(Self.format(x))"
    }

    /// Whole numbers below 10⁹ as integers (`4096`, not `4096.0`), others in Swift's shortest form.
    public static func format(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e9 { return String(Int64(x)) }
        return "\(x)"
    }
}

/// A number given on the command line or in a file outside its range: names the flag or key,
/// the value and the range allowed.
public struct NumberOutOfRange: Error, Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var problem: String
    public var description: String { "\(name): \(problem)" }
}

extension NumberRange {
    /// Throws unless `value` is in this range; `name` is the flag or key, e.g. "--seconds".
    public func check(_ name: String, _ value: Double) throws(NumberOutOfRange) {
        if let problem = problem(with: value) { throw NumberOutOfRange(name: name, problem: problem) }
    }

    /// As `check(_:_:)` for whole numbers.
    public func check<I: BinaryInteger>(_ name: String, _ value: I) throws(NumberOutOfRange) {
        try check(name, Double(value))
    }
}
