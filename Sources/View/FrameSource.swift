/// Something that moves the pendulum on the page: it publishes frames to the hub until its task
/// is cancelled (or, for a finite source, until it has nothing more to show).
public protocol FrameSource: Sendable {
    /// One line for the page and the terminal, e.g. "replay of run.csv".
    var description: String { get }
    func run(into hub: FrameHub) async throws
}
