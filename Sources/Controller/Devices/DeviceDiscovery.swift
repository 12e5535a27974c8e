/// Finding the ESP32's serial port: what is plugged in now, and waiting for it to appear.
///
/// Order matters for waiting: the monitor is enabled *before* the enumeration, so a device
/// plugged in between the two shows up in one of them (possibly both) and never in neither.
public enum DeviceDiscovery {
    /// Every tty with a device node, USB-backed or not, sorted by device node.
    public static func serialDevices() throws(DeviceDiscoveryError) -> [SerialDeviceInfo] {
        let context = try UdevContext()
        return try serialDevices(in: context)
    }

    /// Ports behind a USB device (the only ones a matcher can accept), sorted by device node.
    public static func usbSerialDevices() throws(DeviceDiscoveryError) -> [SerialDeviceInfo] {
        try serialDevices().filter { $0.usbID != nil }
    }

    /// The ports `matcher` accepts right now, sorted by device node.
    public static func matchingDevices(_ matcher: DeviceMatcher) throws(DeviceDiscoveryError) -> [SerialDeviceInfo] {
        try serialDevices().filter(matcher.matches)
    }

    /// Returns the one port `matcher` accepts, waiting up to `timeout` for it to be plugged in.
    ///
    /// This is what `--port auto` calls before the control loop starts; it blocks the calling
    /// thread (polling the monitor socket, no busy waiting). Throws `.ambiguousMatch` when two
    /// or more matching ports are already present, `.noMatchingDevice` when none appears in
    /// time. With a "kernel" source (no udevd), the device node exists when the event arrives,
    /// but udev rules (group, symlinks) have not been applied: there is no udevd to apply them.
    /// `shouldStop` is asked at least every 100 ms while waiting; when it says yes the wait
    /// ends with `.interrupted` (Ctrl-C during discovery takes effect at once, not at the timeout).
    public static func waitForMatchingDevice(
        matcher: DeviceMatcher = .esp32Defaults,
        timeout: Duration,
        source: MonitorSource = .automatic(),
        shouldStop: () -> Bool = { false }
    ) throws(DeviceDiscoveryError) -> SerialDeviceInfo {
        try waitForMatchingDevice(matcher: matcher, timeout: timeout, source: source, whenWaiting: {},
                                  shouldStop: shouldStop)
    }

    /// As above; `whenWaiting` runs once the monitor is listening and the present ports have
    /// been checked, which lets tests plug a fake device in at exactly that point.
    static func waitForMatchingDevice(
        matcher: DeviceMatcher,
        timeout: Duration,
        source: MonitorSource,
        whenWaiting: () -> Void,
        shouldStop: () -> Bool = { false }
    ) throws(DeviceDiscoveryError) -> SerialDeviceInfo {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        let context = try UdevContext()
        let monitor = try UdevMonitor(context: context, source: source)

        let present = try serialDevices(in: context)
        let matching = present.filter(matcher.matches)
        if matching.count == 1 { return matching[0] }
        if matching.count > 1 { throw .ambiguousMatch(matcher: matcher, candidates: matching) }
        whenWaiting()

        while true {
            if shouldStop() { throw .interrupted }
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { break }
            let outcome = try PollCalls.wait(
                monitor: monitor.fileDescriptor, wake: nil,
                timeoutMilliseconds: min(remaining, .milliseconds(100)).pollMilliseconds)
            guard outcome == .readable else { continue }
            // Drain everything queued: several ttys can arrive in one burst.
            while let (action, record) = monitor.receive() {
                guard DeviceEvent.Action(udevAction: action) == .added,
                      let device = SerialDeviceInfo(record: record),
                      matcher.matches(device)
                else { continue }
                return device
            }
        }
        let seen = (try? serialDevices(in: context))?.filter { $0.usbID != nil } ?? []
        throw .noMatchingDevice(matcher: matcher, timeout: timeout, seen: seen)
    }

    static func serialDevices(in context: UdevContext) throws(DeviceDiscoveryError) -> [SerialDeviceInfo] {
        try context.enumerateTTYs()
            .compactMap(SerialDeviceInfo.init(record:))
            .sorted { $0.devnode < $1.devnode }
    }
}
