import PolicyFormat

/// An episode as the robot side records it and the learner reads it: the observation layout
/// the observations follow (it must equal the learner's) and the transitions in order. The
/// file format is another issue's; this is the value.
public struct EpisodeRecord: Sendable, Codable, Equatable {
    public var layout: ObservationLayout
    public var transitions: [Transition]

    public init(layout: ObservationLayout, transitions: [Transition]) {
        self.layout = layout
        self.transitions = transitions
    }

    /// The return Σ r of the episode.
    public var totalReward: Float { transitions.reduce(0) { $0 + $1.reward } }
}
