#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which netlink feed a libudev monitor listens to (`udev_monitor_new_from_netlink`'s name).
///
/// "udev" events come from udevd after it has applied rules (permissions, /dev/furuta
/// symlinks), so they are the right feed whenever udevd runs. Without udevd (CI, containers,
/// minimal robot images) nothing is ever sent on it, and the raw "kernel" feed is the only one.
public enum MonitorSource: String, Sendable, Hashable, CaseIterable {
    case udev
    case kernel

    /// udevd's control socket; it exists exactly while udevd runs.
    public static let udevControlSocketPath = "/run/udev/control"

    /// "udev" when udevd runs (its control socket exists), otherwise "kernel".
    public static func automatic(udevControlSocket: String = udevControlSocketPath) -> MonitorSource {
        access(udevControlSocket, F_OK) == 0 ? .udev : .kernel
    }
}
