import Foundation
import MotorModel
import RobotDescription

/// The parameters being fitted, each with its bounds, and the map between robot values and the
/// unit cube [0, 1]ⁿ CMA-ES searches in (log or linear per parameter, so every coordinate has
/// the same scale): v = lo·(hi/lo)ᵘ or v = lo + u·(hi − lo).
public struct ParameterSpace: Sendable {
    public struct Entry: Sendable {
        public let parameter: FittableParameter
        public let bounds: ClosedRange<Double>
        public let nominal: Double
        var isLogarithmic: Bool { parameter.scale == .logarithmic && bounds.lowerBound > 0 }

        func value(_ u: Double) -> Double {
            let u = min(max(u, 0), 1)
            return isLogarithmic ? bounds.lowerBound * pow(bounds.upperBound / bounds.lowerBound, u)
                                 : bounds.lowerBound + u * (bounds.upperBound - bounds.lowerBound)
        }

        func coordinate(_ v: Double) -> Double {
            guard bounds.upperBound > bounds.lowerBound else { return 0.5 }
            return isLogarithmic ? log(v / bounds.lowerBound) / log(bounds.upperBound / bounds.lowerBound)
                                 : (v - bounds.lowerBound) / (bounds.upperBound - bounds.lowerBound)
        }
    }

    public let entries: [Entry]
    public let nominal: RobotParameters

    public var keys: [String] { entries.map(\.parameter.key) }

    /// Parses `--params` items (`KEY` or `KEY=LOW:HIGH`) against the description at `robotPath`
    /// (its text is re-read with each bound as an override, so the schema's own checks decide
    /// what is allowed).
    public init(items: [String], description: RobotDescription) throws(SystemIdentificationError) {
        nominal = description.parameters
        let text = (try? String(contentsOfFile: description.sourcePath, encoding: .utf8)) ?? ""
        var entries: [Entry] = []
        for item in items {
            let parts = item.split(separator: "=", maxSplits: 1).map(String.init)
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            guard let parameter = FittableParameters.named(key) else {
                if let reason = FittableParameters.measuredKeys[key] {
                    throw .notFittable(key: key, reason: reason)
                }
                throw .unknownParameter(key: key, suggestion: FittableParameters.nearest(to: key))
            }
            guard !entries.contains(where: { $0.parameter.key == key }) else { throw .duplicateParameter(key) }
            let nominalValue = parameter.value(in: nominal)
            var bounds: ClosedRange<Double>
            if parts.count == 2 {
                let range = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
                guard range.count == 2, let low = range[0], let high = range[1], low.isFinite, high.isFinite, low < high else {
                    throw .invalidBounds(item: item)
                }
                bounds = low...high
                guard bounds.contains(nominalValue) else { throw .boundsExcludeNominal(key: key, bounds: bounds, nominal: nominalValue) }
                for bound in [low, high] {
                    if let problem = Self.schemaProblem(key: key, value: bound, text: text, file: description.sourcePath) {
                        throw .boundOutsideSchema(key: key, bound: bound, problem: problem)
                    }
                }
            } else {
                bounds = parameter.defaultBounds(nominal: nominalValue)
                // Pull each default bound in to where the schema allows it (bisection towards the nominal).
                let low = Self.schemaLimit(key: key, from: nominalValue, toward: bounds.lowerBound, text: text, file: description.sourcePath)
                let high = Self.schemaLimit(key: key, from: nominalValue, toward: bounds.upperBound, text: text, file: description.sourcePath)
                bounds = low...max(high, low)
            }
            entries.append(Entry(parameter: parameter, bounds: bounds, nominal: nominalValue))
        }
        guard !entries.isEmpty else { throw .noParameters }
        self.entries = entries
    }

    init(entries: [Entry], nominal: RobotParameters) {
        self.entries = entries
        self.nominal = nominal
    }

    /// The robot at unit-cube point `u` (clamped into the cube).
    public func robot(at u: [Double]) -> RobotParameters {
        var robot = nominal
        for (entry, coordinate) in zip(entries, u) { entry.parameter.set(entry.value(coordinate), in: &robot) }
        // Static friction is at least Coulomb friction (robot.yaml's rule) when both are fitted.
        robot.motor.friction.staticNm = max(robot.motor.friction.staticNm, robot.motor.friction.coulombNm)
        return robot
    }

    public func values(at u: [Double]) -> [Double] { zip(entries, u).map { $0.value($1) } }

    public var nominalCoordinates: [Double] { entries.map { $0.coordinate($0.nominal) } }

    /// The schema's problem with `key` set to `value` (its range, or a consistency rule such as
    /// static ≥ Coulomb friction with the other values nominal), nil if it accepts it.
    static func schemaProblem(key: String, value: Double, text: String, file: String) -> String? {
        do {
            _ = try RobotDescription.parse(text, file: file, overrides: [key: "\(value)"])
            return nil
        } catch {
            return (error.problems.first { $0.key == key } ?? error.problems.first)?.description
        }
    }

    /// The farthest point from `valid` toward `target` the schema accepts (to 1e-6 of the way).
    static func schemaLimit(key: String, from valid: Double, toward target: Double, text: String, file: String) -> Double {
        if schemaProblem(key: key, value: target, text: text, file: file) == nil { return target }
        var good = valid, bad = target
        for _ in 0..<20 {
            let mid = (good + bad) / 2
            if schemaProblem(key: key, value: mid, text: text, file: file) == nil { good = mid } else { bad = mid }
        }
        return good
    }
}
