/// Why a robot description could not be used. Names the file and, for each problem, the key
/// (as a dotted path such as `motor.resistance_ohm`) and what is wrong with it.
public struct RobotDescriptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One thing wrong with the file.
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        /// Dotted key path, empty for the file as a whole.
        public var key: String
        public var message: String
        public init(key: String, message: String) {
            self.key = key
            self.message = message
        }
        public var description: String { key.isEmpty ? message : "\(key): \(message)" }
    }

    /// The file that was read.
    public var file: String
    public var problems: [Problem]

    public init(file: String, problems: [Problem]) {
        self.file = file
        self.problems = problems
    }

    public init(file: String, key: String = "", _ message: String) {
        self.init(file: file, problems: [Problem(key: key, message: message)])
    }

    public var description: String {
        if problems.count == 1 { return "\(file): \(problems[0])" }
        return "\(file): \(problems.count) problems\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
