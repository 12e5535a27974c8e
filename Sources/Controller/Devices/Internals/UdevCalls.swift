import CUdev
#if canImport(Glibc)
import Glibc
#endif

// Every libudev call of the Controller lives in this file, so the rest of Devices/ is plain
// Swift over `TTYDeviceRecord`. libudev objects are not thread-safe: each `UdevContext` and
// the monitors made from it are used by one thread at a time.

/// A libudev library context (`struct udev *`): `udev_new` / `udev_unref`.
final class UdevContext {
    let raw: OpaquePointer

    init() throws(DeviceDiscoveryError) {
        guard let raw = udev_new() else { throw .udevUnavailable(errno: errno) }
        self.raw = raw
    }

    deinit { udev_unref(raw) }

    /// Every device of subsystem "tty", read into records: `udev_enumerate_new`,
    /// `udev_enumerate_add_match_subsystem`, `udev_enumerate_scan_devices`,
    /// `udev_device_new_from_syspath`.
    func enumerateTTYs() throws(DeviceDiscoveryError) -> [TTYDeviceRecord] {
        guard let enumerate = udev_enumerate_new(raw) else { throw .enumerationFailed(errno: errno) }
        defer { udev_enumerate_unref(enumerate) }
        udev_enumerate_add_match_subsystem(enumerate, "tty")
        let status = udev_enumerate_scan_devices(enumerate)
        guard status >= 0 else { throw .enumerationFailed(errno: -status) }

        var records: [TTYDeviceRecord] = []
        var entry = udev_enumerate_get_list_entry(enumerate)
        while let current = entry {
            defer { entry = udev_list_entry_get_next(current) }
            // A device can vanish between the scan and this read; it is simply not listed.
            guard let syspath = udev_list_entry_get_name(current),
                  let device = udev_device_new_from_syspath(raw, syspath)
            else { continue }
            records.append(UdevDevice.record(of: device))
            udev_device_unref(device)
        }
        return records
    }
}

/// Reads one `struct udev_device *` into a record (the caller keeps ownership).
enum UdevDevice {
    static func record(of device: OpaquePointer) -> TTYDeviceRecord {
        var record = TTYDeviceRecord(
            syspath: string(udev_device_get_syspath(device)) ?? "",
            devnode: string(udev_device_get_devnode(device)),
            properties: properties(of: device)
        )
        // Parents returned by udev_device_get_parent* belong to the child: never unref them.
        if let usbDevice = udev_device_get_parent_with_subsystem_devtype(device, "usb", "usb_device") {
            var attributes: [String: String] = [:]
            for name in TTYDeviceRecord.usbDeviceAttributeNames {
                // Reads /sys/…/<name> directly, so it works without udevd.
                if let value = string(udev_device_get_sysattr_value(usbDevice, name)) {
                    attributes[name] = value
                }
            }
            record.usbDeviceAttributes = attributes
        }
        if let interface = udev_device_get_parent_with_subsystem_devtype(device, "usb", "usb_interface") {
            record.usbInterfaceNumber = string(udev_device_get_sysattr_value(interface, "bInterfaceNumber"))
        }
        record.driver = nearestDriver(from: device)
        return record
    }

    /// The tty itself has no driver; the one that matters is bound to an ancestor: the USB
    /// interface for `cdc_acm` (ttyACM*), the usb-serial port for `cp210x`/`ch341` (ttyUSB*).
    /// Stops at the usb_device, whose driver ("usb") says nothing about the port.
    private static func nearestDriver(from device: OpaquePointer) -> String? {
        var current = udev_device_get_parent(device)
        while let node = current {
            if string(udev_device_get_devtype(node)) == "usb_device" { return nil }
            if let driver = string(udev_device_get_driver(node)) { return driver }
            current = udev_device_get_parent(node)
        }
        return nil
    }

    private static func properties(of device: OpaquePointer) -> [String: String] {
        var properties: [String: String] = [:]
        var entry = udev_device_get_properties_list_entry(device)
        while let current = entry {
            if let name = string(udev_list_entry_get_name(current)) {
                properties[name] = string(udev_list_entry_get_value(current)) ?? ""
            }
            entry = udev_list_entry_get_next(current)
        }
        return properties
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

/// A netlink monitor filtered to subsystem "tty" (`struct udev_monitor *`):
/// `udev_monitor_new_from_netlink`, `udev_monitor_filter_add_match_subsystem_devtype`,
/// `udev_monitor_enable_receiving`. Created enabled, so enumerating afterwards misses nothing.
final class UdevMonitor {
    let raw: OpaquePointer
    let source: MonitorSource
    /// Keeps the context alive as long as the monitor that references it.
    private let context: UdevContext

    init(context: UdevContext, source: MonitorSource) throws(DeviceDiscoveryError) {
        guard let raw = udev_monitor_new_from_netlink(context.raw, source.rawValue) else {
            throw .monitorUnavailable(source: source, errno: errno)
        }
        self.raw = raw
        self.source = source
        self.context = context
        // For "kernel" messages libudev applies this filter in user space, for "udev" messages
        // in a socket filter; either way only ttys reach `receive()`.
        var status = udev_monitor_filter_add_match_subsystem_devtype(raw, "tty", nil)
        if status >= 0 { status = udev_monitor_enable_receiving(raw) }
        guard status >= 0 else {
            udev_monitor_unref(raw)
            throw .monitorUnavailable(source: source, errno: -status)
        }
    }

    deinit { udev_monitor_unref(raw) }

    /// The socket to poll for readability (`udev_monitor_get_fd`); libudev made it non-blocking.
    var fileDescriptor: Int32 { udev_monitor_get_fd(raw) }

    /// One pending event (`udev_monitor_receive_device`), or nil when none is queued or the
    /// message was not for us (filtered out, or malformed).
    func receive() -> (action: String, record: TTYDeviceRecord)? {
        guard let device = udev_monitor_receive_device(raw) else { return nil }
        defer { udev_device_unref(device) }
        let action = udev_device_get_action(device).map { String(cString: $0) } ?? "change"
        return (action, UdevDevice.record(of: device))
    }
}
