/// One chart: axes with labels (units in the label), and the marks drawn inside them.
public struct Panel: Sendable {
    public enum Mark: Sendable {
        /// A polyline; NaN values break it.
        case line(name: String?, color: Color, x: [Double], y: [Double], width: Double = 1.5, dashed: Bool = false)
        /// A filled area between `lower` and `upper` (spread over seeds).
        case band(name: String?, color: Color, x: [Double], lower: [Double], upper: [Double])
        /// Points, e.g. one per evaluation.
        case points(name: String?, color: Color, x: [Double], y: [Double])
        /// A labelled vertical line at `x` (an event).
        case event(x: Double, label: String, color: Color)
        /// A shaded interval of x (while a condition held).
        case span(name: String?, from: Double, to: Double, color: Color)
        /// A horizontal reference line (a target, a limit).
        case level(y: Double, label: String, color: Color)
        /// Histogram bars: `edges` has one more entry than `counts`.
        case bars(name: String?, color: Color, edges: [Double], counts: [Double])
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var marks: [Mark] = []
    /// Fixed axis ranges; nil fits the data.
    public var xDomain: ClosedRange<Double>?
    public var yDomain: ClosedRange<Double>?

    public init(title: String, xLabel: String, yLabel: String, marks: [Mark] = [],
                xDomain: ClosedRange<Double>? = nil, yDomain: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.marks = marks
        self.xDomain = xDomain
        self.yDomain = yDomain
    }

    var fittedXDomain: ClosedRange<Double> {
        if let xDomain { return xDomain }
        var xs: [Double] = []
        for mark in marks {
            switch mark {
            case .line(_, _, let x, _, _, _), .band(_, _, let x, _, _), .points(_, _, let x, _): xs += x
            case .event(let x, _, _): xs.append(x)
            case .span(_, let a, let b, _): xs += [a, b]
            case .bars(_, _, let edges, _): xs += edges
            case .level: break
            }
        }
        return LinearScale.extent(xs, padding: 0) ?? 0...1
    }

    var fittedYDomain: ClosedRange<Double> {
        if let yDomain { return yDomain }
        var ys: [Double] = []
        for mark in marks {
            switch mark {
            case .line(_, _, _, let y, _, _), .points(_, _, _, let y): ys += y
            case .band(_, _, _, let lower, let upper): ys += lower + upper
            case .level(let y, _, _): ys.append(y)
            case .bars(_, _, _, let counts): ys += counts + [0]
            case .event, .span: break
            }
        }
        return LinearScale.extent(ys) ?? 0...1
    }
}

/// An sRGB colour, written into SVG as #rrggbb.
public struct Color: Sendable, Equatable {
    public var hex: String
    public init(_ hex: String) { self.hex = hex }
    // A colour-blind-safe palette (Okabe & Ito).
    public static let blue = Color("#0072b2"), orange = Color("#e69f00"), green = Color("#009e73"),
        red = Color("#d55e00"), purple = Color("#cc79a7"), sky = Color("#56b4e9"), gray = Color("#777777"),
        yellow = Color("#f0e442")
    public static let cycle = [blue, orange, green, red, purple, sky]
}
