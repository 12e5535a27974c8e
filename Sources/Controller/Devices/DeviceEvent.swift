/// A hotplug notification for one serial port, as delivered by `DeviceMonitor`.
public struct DeviceEvent: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        case added
        case removed
        /// "change", "bind", "move", …: the port is still there.
        case other(String)

        /// Maps a uevent ACTION string.
        public init(udevAction: String) {
            switch udevAction {
            case "add": self = .added
            case "remove": self = .removed
            default: self = .other(udevAction)
            }
        }
    }

    public var action: Action
    /// The port. For `.removed`, fields read from sysfs are filled in from what the monitor saw
    /// while the port was present, since the kernel has already deleted them.
    public var device: SerialDeviceInfo

    public init(action: Action, device: SerialDeviceInfo) {
        self.action = action
        self.device = device
    }
}
