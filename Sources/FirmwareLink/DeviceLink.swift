/// The host's end of the protocol over any `ByteChannel`: handshake, send, receive, counters.
/// Blocking and single-threaded by design: the controller's loop thread owns one.
public final class DeviceLink {
    public let channel: any ByteChannel
    /// What this host claims in the handshake (tests may claim another version).
    public let hostSide: ProtocolSide
    private var encoder = FrameEncoder()
    private var decoder = FrameDecoder()
    private var pending: [Frame] = []
    private var pendingHead = 0
    private var outgoing: [UInt8] = []
    private var incoming = [UInt8](repeating: 0, count: 512)
    private var sent = (frames: 0, bytes: 0)
    public private(set) var device: DeviceInfo?

    public init(channel: any ByteChannel, hostSide: ProtocolSide = .thisBuild) {
        self.channel = channel
        self.hostSide = hostSide
        pending.reserveCapacity(64)
        outgoing.reserveCapacity(4 * ProtocolIdentity.maxWireLength)
    }

    /// Opens a serial port (see `SerialPort`) and wraps it.
    public convenience init(port path: String, baud: Int? = 921_600) throws(LinkError) {
        self.init(channel: try SerialPort(path: path, baud: baud))
    }

    public var counters: LinkCounters {
        let stats = decoder.statistics
        var c = LinkCounters()
        c.framesSent = sent.frames
        c.bytesSent = sent.bytes
        c.framesReceived = stats.framesDelivered
        c.bytesReceived = stats.bytes
        c.corruptFrames = stats.corruptFrames
        c.unknownFrames = stats.unknownType
        c.lostFrames = decoder.lostFrames
        return c
    }

    /// Sends one message; returns the sequence number it carries.
    @discardableResult
    public func send(_ message: Message) throws(LinkError) -> UInt16 {
        outgoing.removeAll(keepingCapacity: true)
        let sequence = encoder.encode(message, into: &outgoing)
        try writeOutgoing()
        sent.frames += 1
        return sequence
    }

    /// The next frame from the device, or nil if none arrives within `timeout`.
    public func receive(timeout: Duration) throws(LinkError) -> Frame? {
        if let frame = takePending() { return frame }
        let deadline = channel.now + timeout
        while true {
            let remaining = deadline - channel.now
            let channel = self.channel
            let count = try incoming.withUnsafeMutableBytes { buffer in
                Result { () throws(LinkError) in try channel.read(into: buffer, timeout: max(remaining, .zero)) }
            }.get()
            if count > 0 {
                incoming.withUnsafeBytes { bytes in
                    decoder.feed(UnsafeRawBufferPointer(rebasing: bytes[..<count])) { pending.append($0) }
                }
                if let frame = takePending() { return frame }
            }
            if channel.now >= deadline { return nil }
        }
    }

    /// Waits for the first message `accept` returns a value for, dropping the others (a caller
    /// that must not miss a `fault` should loop over `receive(timeout:)` itself).
    public func receive<T>(timeout: Duration, waitingFor what: String,
                           _ accept: (Message) -> T?) throws(LinkError) -> T {
        let deadline = channel.now + timeout
        while true {
            let remaining = deadline - channel.now
            guard remaining > .zero, let frame = try receive(timeout: remaining) else {
                throw .timeout(port: channel.name, waitingFor: what, after: timeout)
            }
            if let value = accept(frame.message) { return value }
        }
    }

    /// Opens a session: sends `hello` (again every `retryInterval`, in case the first was lost
    /// to boot noise) until a `hello_reply` arrives. A refusal, or a reply naming another
    /// version or schema, throws `.protocolMismatch` naming both sides.
    @discardableResult
    public func handshake(timeout: Duration = .seconds(1),
                          retryInterval: Duration = .milliseconds(200)) throws(LinkError) -> DeviceInfo {
        // A lone delimiter ends whatever partial frame the device's decoder holds.
        let channel = self.channel
        try [UInt8(0)].withUnsafeBytes { bytes in
            Result { () throws(LinkError) in try channel.write(bytes) }
        }.get()
        decoder.resetSequenceTracking()
        let deadline = channel.now + timeout
        while channel.now < deadline {
            try send(.hello(Hello(protocolVersion: hostSide.version, schemaHash: hostSide.schemaHash)))
            let wait = min(retryInterval, deadline - channel.now)
            let reply: HelloReply
            do {
                reply = try receive(timeout: wait, waitingFor: "hello_reply") { message in
                    if case .helloReply(let reply) = message { reply } else { nil }
                }
            } catch .timeout {
                continue
            }
            let deviceSide = ProtocolSide(version: reply.protocolVersion, schemaHash: reply.schemaHash)
            guard reply.accepted, deviceSide == hostSide else {
                throw .protocolMismatch(ProtocolMismatch(port: channel.name, host: hostSide,
                                                         device: deviceSide,
                                                         firmwareVersion: reply.firmwareVersion))
            }
            let info = DeviceInfo(port: channel.name, reply: reply)
            device = info
            return info
        }
        throw .timeout(port: channel.name, waitingFor: "hello_reply", after: timeout)
    }

    /// Sends `configure` and returns the values the device applied (its `config_ack`).
    public func configure(_ configuration: Configuration,
                          timeout: Duration = .milliseconds(500)) throws(LinkError) -> Configuration {
        try send(.configure(configuration))
        return try receive(timeout: timeout, waitingFor: "config_ack") { message in
            if case .configAck(let applied) = message { applied } else { nil }
        }
    }

    /// Sends `rearm` (also the first arming after a handshake) and returns the state reply.
    public func rearm(timeout: Duration = .milliseconds(500)) throws(LinkError) -> DeviceState {
        try send(.rearm)
        return try receive(timeout: timeout, waitingFor: "state after rearm") { message in
            if case .state(let state) = message { state } else { nil }
        }
    }

    /// Sends a command and waits for the state the device answers it with.
    public func command(_ command: Command, timeout: Duration = .milliseconds(100)) throws(LinkError) -> DeviceState {
        let sequence = try send(.command(command))
        return try receive(timeout: timeout, waitingFor: "state for command \(sequence)") { message in
            if case .state(let state) = message, state.lastCommandSequence == sequence { state } else { nil }
        }
    }

    /// Round trip: ping → pong, returns the device's clock.
    public func ping(token: UInt32 = 0x5EED, timeout: Duration = .milliseconds(500)) throws(LinkError) -> UInt64 {
        try send(.ping(token: token))
        return try receive(timeout: timeout, waitingFor: "pong") { message in
            if case .pong(token, let time) = message { time } else { nil }
        }
    }

    // MARK: private

    private func writeOutgoing() throws(LinkError) {
        let channel = self.channel
        try outgoing.withUnsafeBytes { bytes in
            Result { () throws(LinkError) in try channel.write(bytes) }
        }.get()
        sent.bytes += outgoing.count
    }

    private func takePending() -> Frame? {
        guard pendingHead < pending.count else { return nil }
        let frame = pending[pendingHead]
        pendingHead += 1
        if pendingHead == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingHead = 0
        }
        return frame
    }
}
