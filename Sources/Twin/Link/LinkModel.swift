/// The timing of the cable between the twin's firmware and the host, in both directions, as a
/// real ESP32 behind a USB-serial bridge has it:
///
/// - **byte timing**: the UART between the ESP32 and its bridge carries 10 bits per byte (8N1),
///   so n bytes take n·10/baud s, and a byte cannot start before the previous one ended;
/// - **USB frame granularity**: the bridge hands data to the host (and takes it from the host)
///   only at USB frame boundaries (1 ms for full-speed bulk endpoints; an FTDI's latency timer
///   defaults to 16 ms, a CP210x or CH340 flushes within a frame or two);
/// - **latency**: a `LatencyDistribution` per direction (driver queues, a busy host).
///
/// A chunk written at t arrives at
///     ready = max(t, line free) + n·10/baud + latency,  rounded up to the next USB frame boundary,
/// and never before the chunk written before it (a serial link does not reorder bytes).
public struct LinkModel: Sendable, Equatable {
    /// UART speed, bits/s; nil: bytes take no time on the wire.
    public var baud: Int?
    /// USB frame interval; zero: none (a native UART, or a pty).
    public var usbFrame: Duration
    /// Host → device (commands).
    public var hostToDevice: LatencyDistribution
    /// Device → host (states, replies); `furuta twin --delay-ms` sets its base.
    public var deviceToHost: LatencyDistribution

    public init(baud: Int? = nil, usbFrame: Duration = .zero,
                hostToDevice: LatencyDistribution = .none, deviceToHost: LatencyDistribution = .none) {
        self.baud = baud
        self.usbFrame = usbFrame
        self.hostToDevice = hostToDevice
        self.deviceToHost = deviceToHost
    }

    /// No timing at all: the pty as it is.
    public static let ideal = LinkModel()

    /// A CP210x-class bridge at 921 600 baud with 1 ms USB frames and no extra latency.
    public static let usbSerial = LinkModel(baud: 921_600, usbFrame: .milliseconds(1))

    public var isIdeal: Bool { self == .ideal }

    /// The first problem with these settings, phrased for the command line.
    public var problem: String? {
        if let baud, baud <= 0 { return "baud must be positive, found \(baud)" }
        if usbFrame < .zero { return "USB frame interval must be 0 or more" }
        return hostToDevice.problem ?? deviceToHost.problem
    }

    /// ns one byte takes on the UART (10 bits), 0 without byte timing.
    var byteNanoseconds: Int64 { baud.map { 10_000_000_000 / Int64($0) } ?? 0 }
}
