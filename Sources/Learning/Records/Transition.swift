/// One step of experience, wherever it happened (a simulated env, a controller session on the
/// robot): what the policy saw, the action applied (in [−1, 1], after squashing), the reward of
/// the task, what it saw next, and how the episode ended. `nextObservation` of the last step of
/// an episode is its final observation; `terminated` means a true terminal state (no bootstrap),
/// `truncated` a time limit or an operator stop (bootstrap).
public struct Transition: Sendable, Codable, Equatable {
    public var observation: [Float]
    public var action: [Float]
    public var reward: Float
    public var nextObservation: [Float]
    public var terminated: Bool
    public var truncated: Bool

    public init(observation: [Float], action: [Float], reward: Float, nextObservation: [Float],
                terminated: Bool, truncated: Bool) {
        self.observation = observation
        self.action = action
        self.reward = reward
        self.nextObservation = nextObservation
        self.terminated = terminated
        self.truncated = truncated
    }
}
