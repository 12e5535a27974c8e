/// Every message of the wire protocol (firmware-protocol/PROTOCOL.md), host → device first.
/// Values are exactly what goes on the wire; `Command(duty:)` and friends quantise for you.
public enum Message: Equatable, Sendable {
    // Host → device
    case hello(Hello)
    case command(Command)
    case configure(Configuration)
    case ping(token: UInt32)
    case rearm
    // Device → host
    case helloReply(HelloReply)
    case state(DeviceState)
    case configAck(Configuration)
    case pong(token: UInt32, timeMicroseconds: UInt64)
    case fault(Fault)

    /// Short name used in logs and errors, matching the spec's message table.
    public var name: String {
        switch self {
        case .hello: "hello"
        case .command: "command"
        case .configure: "configure"
        case .ping: "ping"
        case .rearm: "rearm"
        case .helloReply: "hello_reply"
        case .state: "state"
        case .configAck: "config_ack"
        case .pong: "pong"
        case .fault: "fault"
        }
    }
}

/// A message with the sequence number it travelled under.
public struct Frame: Equatable, Sendable {
    public var sequence: UInt16
    public var message: Message

    public init(sequence: UInt16, message: Message) {
        self.sequence = sequence
        self.message = message
    }
}
