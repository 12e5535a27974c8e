/// Panels stacked top to bottom under a title: what `furuta plot` writes.
public struct Figure: Sendable {
    public var title: String
    public var subtitle: String
    public var panels: [Panel]
    public var width = 1100.0
    public var panelHeight = 300.0

    public init(title: String, subtitle: String = "", panels: [Panel]) {
        self.title = title
        self.subtitle = subtitle
        self.panels = panels
    }

    /// Layout in pixels: a heading, then each panel with room for its axis labels and legend.
    static let heading = 78.0, left = 90.0, right = 210.0, top = 34.0, bottom = 56.0

    public var height: Double { Self.heading + Double(panels.count) * panelHeight }

    public func svg() -> String { SVGRenderer(figure: self).render() }
}
