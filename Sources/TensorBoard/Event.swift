/// TensorBoard's `Event` protocol buffer (tensorboard/compat/proto/event.proto), only the fields
/// a scalar and text log needs:
///
///     message Event   { double wall_time = 1; int64 step = 2;
///                       oneof what { string file_version = 3; Summary summary = 5; SessionLog session_log = 7; } }
///     message Summary { repeated Value value = 1; }
///     message Value   { string tag = 1; float simple_value = 2; TensorProto tensor = 8; SummaryMetadata metadata = 9; }
///     message SummaryMetadata { PluginData plugin_data = 1; }   message PluginData { string plugin_name = 1; }
///     message TensorProto { DataType dtype = 1; TensorShapeProto tensor_shape = 2; repeated bytes string_val = 8; }
///     message SessionLog { SessionStatus status = 1; }   // START = 1
///
/// A text summary is what TensorBoard's text plugin reads (tensorboard/plugins/text/summary_v2.py):
/// a scalar-shaped DT_STRING (7) tensor whose metadata names the plugin "text".
public struct Event: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        /// The first event of every file; "brain.Event:2" is the current version.
        case fileVersion(String)
        /// Scalars at this step, as (tag, value).
        case scalars([Scalar])
        /// Texts at this step, shown in TensorBoard's Text tab (values seen once per run, which
        /// a one-point scalar curve would show as nothing but a dot).
        case texts([Text])
        /// A (re)start of the writer: TensorBoard drops earlier events at or after this step,
        /// which is what a resumed run wants.
        case sessionStart
    }

    public struct Scalar: Sendable, Equatable {
        public var tag: String
        public var value: Float
        public init(tag: String, value: Float) { self.tag = tag; self.value = value }
    }

    public struct Text: Sendable, Equatable {
        public var tag: String
        public var text: String
        public init(tag: String, text: String) { self.tag = tag; self.text = text }
    }

    public var wallTime: Double
    public var step: Int64
    public var content: Content

    public init(wallTime: Double, step: Int64, content: Content) {
        self.wallTime = wallTime
        self.step = step
        self.content = content
    }

    /// tensorflow/core/framework/types.proto: DT_STRING.
    private static let stringDataType: Int64 = 7

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
        case .texts(let texts):
            w.message(5) { summary in
                for t in texts {
                    summary.message(1) { value in
                        value.string(1, t.tag)
                        value.message(8) { tensor in
                            tensor.int64(1, Self.stringDataType)
                            tensor.message(2) { _ in }   // shape []: a scalar
                            tensor.string(8, t.text)
                        }
                        value.message(9) { metadata in metadata.message(1) { $0.string(1, "text") } }
                    }
                }
            }
        case .sessionStart: w.message(7) { $0.int64(1, 1) }
        }
        return w.bytes
    }
}
