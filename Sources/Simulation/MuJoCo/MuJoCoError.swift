/// A MuJoCo failure, with MuJoCo's own message.
public struct MuJoCoError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
