import RobotDescription

/// A configuration with rules beyond its types: every number in a range that makes physical or
/// computational sense, and relations between keys. `LayeredConfig.load` applies them after
/// merging defaults, file and overrides, so a bad value stops the command before any work.
protocol CheckedConfiguration {
    /// Each problem as "key.path: what is wrong, found value"; empty when the values are usable.
    var ruleViolations: [String] { get }
}

/// Collects rule violations with the key, the value and the allowed range in each message.
struct ConfigurationRules {
    private(set) var violations: [String] = []

    mutating func number(_ key: String, _ value: Double, _ range: NumberRange) {
        if let problem = range.problem(with: value) { violations.append("\(key): \(problem)") }
    }

    mutating func number(_ key: String, _ value: Float, _ range: NumberRange) {
        number(key, Double(value), range)
    }

    mutating func integer<I: BinaryInteger>(_ key: String, _ value: I, _ range: NumberRange) {
        number(key, Double(value), range)
    }

    /// Both ends of a `[lower, upper]` range value.
    mutating func bounds(_ key: String, _ value: ClosedRange<Double>, _ range: NumberRange) {
        number("\(key)[0]", value.lowerBound, range)
        number("\(key)[1]", value.upperBound, range)
    }

    mutating func bounds(_ key: String, _ value: ClosedRange<Int>, _ range: NumberRange) {
        integer("\(key)[0]", value.lowerBound, range)
        integer("\(key)[1]", value.upperBound, range)
    }

    /// A relation between keys, e.g. "ppo.minimumLearningRate: 0.1 is above ppo.maximumLearningRate 0.01".
    mutating func require(_ holds: Bool, _ key: String, _ message: @autoclosure () -> String) {
        if !holds { violations.append("\(key): \(message())") }
    }
}
