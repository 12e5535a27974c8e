#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why discovery could not produce a port, worded so the user knows what to do next.
public enum DeviceDiscoveryError: Error, Sendable, Equatable {
    /// `udev_new` failed (out of memory, or libudev cannot work in this environment).
    case udevUnavailable(errno: Int32)
    /// `udev_enumerate_scan_devices` failed, usually because /sys is not mounted.
    case enumerationFailed(errno: Int32)
    /// The netlink monitor could not be created or enabled.
    case monitorUnavailable(source: MonitorSource, errno: Int32)
    /// poll() on the monitor failed.
    case monitorPollFailed(errno: Int32)
    /// The wait ran out; `seen` lists the USB serial ports present that did not match.
    case noMatchingDevice(matcher: DeviceMatcher, timeout: Duration, seen: [SerialDeviceInfo])
    /// More than one port matched, and picking one would be a guess.
    case ambiguousMatch(matcher: DeviceMatcher, candidates: [SerialDeviceInfo])
    /// The caller asked to stop (a stop signal) while waiting.
    case interrupted
}

extension DeviceDiscoveryError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .udevUnavailable(let code):
            return "libudev could not start (udev_new: \(Self.text(code))). Check that /sys is mounted "
                + "and libudev1 is installed, or pass the port explicitly with --port /dev/ttyACM0."
        case .enumerationFailed(let code):
            return "Could not list tty devices through libudev (\(Self.text(code))). Check that /sys is "
                + "mounted, or pass the port explicitly with --port /dev/ttyACM0."
        case .monitorUnavailable(let source, let code):
            return "Could not listen for device hotplug on the \"\(source.rawValue)\" netlink source "
                + "(\(Self.text(code))). Inside a container, run with the host network namespace; "
                + "otherwise pass the port explicitly with --port."
        case .monitorPollFailed(let code):
            return "Waiting for device events failed (poll: \(Self.text(code)))."
        case .noMatchingDevice(let matcher, let timeout, let seen):
            var text = "No serial port with \(matcher) appeared within \(Self.seconds(timeout)). "
                + "Plug in the ESP32 (a data cable, not a charge-only one) and run "
                + "`furuta-controller devices --all` to see what the computer detects."
            if !seen.isEmpty {
                let list = seen.map { "\($0.devnode) (\($0.usbID?.description ?? "no USB id")"
                    + ($0.serialNumber.map { ", serial \($0)" } ?? "") + ")" }
                text += " Present but not matching: \(list.joined(separator: "; ")); if one of these is "
                    + "the board, add --vid-pid vvvv:pppp or --serial."
            }
            return text
        case .ambiguousMatch(let matcher, let candidates):
            let list = candidates.map { "\($0.devnode) (serial \($0.serialNumber ?? "unknown"))" }
            return "\(candidates.count) serial ports match \(matcher): \(list.joined(separator: ", ")). "
                + "Choose one with --serial <number> or --port <path>."
        case .interrupted:
            return "Stopped while waiting for the board to be plugged in."
        }
    }

    static func text(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let total = Double(seconds) + Double(attoseconds) * 1e-18
        return total == total.rounded() ? "\(Int(total)) s" : "\(total) s"
    }
}
