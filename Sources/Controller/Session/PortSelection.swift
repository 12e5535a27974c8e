import FirmwareLink

/// Which serial port a session uses.
public enum PortSelection: Sendable, Equatable {
    /// A path: /dev/ttyACM0, /dev/furuta, or the twin's link.
    case path(String)
    /// Discovery (`DeviceDiscovery.waitForMatchingDevice`) with this matcher, waiting up to `timeout`.
    case automatic(matcher: DeviceMatcher, timeout: Duration)

    public var label: String {
        switch self {
        case .path(let path): path
        case .automatic: "auto"
        }
    }
}
