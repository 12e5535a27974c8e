/// Why the controller–learner link could not be set up or went down; every message says what
/// to check or type.
public struct LinkError: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
