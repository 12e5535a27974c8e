/// A failure to report to the user as one message and a non-zero exit, without usage text
/// (ArgumentParser prints `Error: <description>` and exits 1).
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
