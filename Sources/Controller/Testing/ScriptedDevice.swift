import FirmwareLink

/// The far end of an `InMemoryChannel`: a device that speaks the real wire protocol (frames
/// through FirmwareLink's encoder and decoder) with scripted timing and faults, for tests of the
/// loop shell in virtual time. Not the firmware (the twin runs that); enough of its behaviour
/// to exercise requests, retries, sequence numbers, staleness and resets:
///
/// - `hello` → `hello_reply`; `configure` → `config_ack`; `ping` → `pong`; `rearm` → armed state;
/// - `command` → applies the duty, answers with a state whose `lastCommandSequence` is the
///   command's, sampled at the moment the command arrived;
/// - each reply arrives after `replyLatency(n)` ns (n counts replies from 0), or never when
///   `dropReply(n)` says so; after `reset()` every frame is answered with `fault not_ready`.
public final class ScriptedDevice {
    public let channel: InMemoryChannel
    public var replyLatency: (Int) -> Int64 = { _ in 200_000 }
    public var dropReply: (Int) -> Bool = { _ in false }
    /// Encoder counts at a device time, µs.
    public var counts: (UInt64) -> (arm: Int32, pendulum: Int32) = { _ in (0, 0) }
    public var armCountsPerRevolution: UInt32 = 4096
    public var pendulumCountsPerRevolution: UInt32 = 8192
    public private(set) var appliedDutyQ15: Int16 = 0
    public private(set) var commandsReceived = 0
    public private(set) var repliesSent = 0
    public private(set) var hasReset = false
    private var mode = DeviceMode.waitingForHandshake
    private var decoder = FrameDecoder()
    private var encoder = FrameEncoder()
    private let startNanoseconds: Int64

    public init(clock: ManualClock) {
        channel = InMemoryChannel(clock: clock)
        startNanoseconds = clock.nanoseconds()
        channel.attach { [unowned self] bytes, now in receive(bytes, at: now) }
    }

    /// The device reboots: motor off, it waits for a handshake and refuses everything else.
    public func reset() {
        hasReset = true
        mode = .waitingForHandshake
        appliedDutyQ15 = 0
    }

    private func deviceMicroseconds(_ now: Int64) -> UInt64 { UInt64(max(0, now - startNanoseconds) / 1000) }

    private func receive(_ bytes: UnsafeRawBufferPointer, at now: Int64) {
        var frames: [Frame] = []
        decoder.feed(bytes) { frames.append($0) }
        for frame in frames { answer(frame, at: now) }
    }

    private func answer(_ frame: Frame, at now: Int64) {
        let time = deviceMicroseconds(now)
        let reply: Message
        switch frame.message {
        case .hello(let hello):
            hasReset = false
            mode = .disarmed
            reply = .helloReply(HelloReply(protocolVersion: hello.protocolVersion, schemaHash: hello.schemaHash, accepted: true,
                                           resetReason: .powerOn, firmwareVersion: FirmwareVersion(major: 0, minor: 1, patch: 0),
                                           armCountsPerRevolution: armCountsPerRevolution,
                                           pendulumCountsPerRevolution: pendulumCountsPerRevolution, serial: 0x5C_21_97))
        case _ where hasReset:
            reply = .fault(Fault(code: .notReady, detail: ResetReason.brownout.rawValue, timeMicroseconds: time, status: []))
        case .configure(let configuration):
            reply = .configAck(configuration)
        case .ping(let token):
            reply = .pong(token: token, timeMicroseconds: time)
        case .rearm:
            mode = .armed
            reply = .state(state(at: time, sequence: frame.sequence))
        case .command(let command):
            commandsReceived += 1
            if command.flags.contains(.emergencyStop) {
                mode = .disarmed
                appliedDutyQ15 = 0
            } else {
                appliedDutyQ15 = mode == .armed && command.flags.contains(.enable) ? command.dutyQ15 : 0
            }
            reply = .state(state(at: time, sequence: frame.sequence))
        default:
            return
        }
        let index = repliesSent
        repliesSent += 1
        if dropReply(index) { return }
        var bytes: [UInt8] = []
        _ = encoder.encode(reply, into: &bytes)
        channel.deliver(bytes, at: now + replyLatency(index))
    }

    private func state(at time: UInt64, sequence: UInt16) -> DeviceState {
        let c = counts(time)
        return DeviceState(timeMicroseconds: time, armCounts: c.arm, pendulumCounts: c.pendulum, lastCommandSequence: sequence,
                           appliedDutyQ15: appliedDutyQ15, status: [], mode: mode)
    }
}
