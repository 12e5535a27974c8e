/// TensorBoard's `Event` protocol buffer (tensorboard/compat/proto/event.proto), only the fields
/// a scalar log needs:
///
///     message Event   { double wall_time = 1; int64 step = 2;
///                       oneof what { string file_version = 3; Summary summary = 5; SessionLog session_log = 7; } }
///     message Summary { repeated Value value = 1; }
///     message Value   { string tag = 1; float simple_value = 2; }
///     message SessionLog { SessionStatus status = 1; }   // START = 1
public struct Event: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// The first event of every file; "brain.Event:2" is the current version.
        case fileVersion(String)
        /// Scalars at this step, as (tag, value).
        case scalars([Scalar])
        /// A (re)start of the writer: TensorBoard drops earlier events at or after this step,
        /// which is what a resumed run wants.
        case sessionStart
    }

    public struct Scalar: Sendable, Equatable {
        public var tag: String
        public var value: Float
        public init(tag: String, value: Float) { self.tag = tag; self.value = value }
    }

    public var wallTime: Double
    public var step: Int64
    public var content: Content

    public init(wallTime: Double, step: Int64, content: Content) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
    }

    public func encoded() -> [UInt8] {
        var w = ProtobufWriter()
        w.double(1, wallTime)
        w.int64(2, step)
        switch content {
        case .fileVersion(let version): w.string(3, version)
        case .scalars(let scalars):
            w.message(5) { summary in
                for s in scalars {
                    summary.message(1) { value in
                        value.string(1, s.tag)
                        value.float(2, s.value)
                    }
                }
            }
        case .sessionStart: w.message(7) { $0.int64(1, 1) }
        }
        return w.bytes
    }
}
