/// Which serial ports count as "the pendulum's ESP32".
///
/// A port matches when its USB parent's id is in `usbIDs` (empty means any id) and, when
/// `serialNumber` is set, its USB serial number equals it. Ports without a USB parent never
/// match: a USB id or serial number is the only evidence that a port is the ESP32.
public struct DeviceMatcher: Sendable, Hashable {
    /// Accepted vendor/product ids; empty accepts any USB device.
    public var usbIDs: [USBDeviceID]
    /// Required USB serial number (exact, case-sensitive as the device reports it); nil accepts any.
    public var serialNumber: String?

    public init(usbIDs: [USBDeviceID] = DeviceMatcher.defaultUSBIDs, serialNumber: String? = nil) {
        self.usbIDs = usbIDs
        self.serialNumber = serialNumber
    }

    /// The bridges ESP32 boards ship with: native USB-Serial/JTAG, CP210x, CH340, CH9102.
    public static let defaultUSBIDs: [USBDeviceID] = [.espressifUSBSerialJTAG, .cp210x, .ch340, .ch9102]

    /// Matches any of the usual ESP32 bridges.
    public static let esp32Defaults = DeviceMatcher()

    /// The matcher a user means on the command line (`--vid-pid`, repeatable, and `--serial`):
    /// explicit ids replace the defaults; a serial number alone identifies the board whatever
    /// chip it sits behind, so it drops the id restriction; neither gives the ESP32 defaults.
    public static func configured(usbIDs: [USBDeviceID], serialNumber: String?) -> DeviceMatcher {
        let serial = serialNumber.flatMap { $0.isEmpty ? nil : $0 }
        if !usbIDs.isEmpty { return DeviceMatcher(usbIDs: usbIDs, serialNumber: serial) }
        if serial != nil { return DeviceMatcher(usbIDs: [], serialNumber: serial) }
        return .esp32Defaults
    }

    public func matches(_ device: SerialDeviceInfo) -> Bool {
        guard let id = device.usbID else { return false }
        if !usbIDs.isEmpty, !usbIDs.contains(id) { return false }
        if let serialNumber, device.serialNumber != serialNumber { return false }
        return true
    }
}

extension DeviceMatcher: CustomStringConvertible {
    /// Reads as the end of "no device with …": `USB id 303a:1001 or 10c4:ea60, serial number X`.
    public var description: String {
        var parts: [String] = []
        if !usbIDs.isEmpty {
            let ids = usbIDs.map(\.description)
            let list = ids.count == 1 ? ids[0] : ids.dropLast().joined(separator: ", ") + " or " + ids.last!
            parts.append("USB id \(list)")
        }
        if let serialNumber { parts.append("serial number \(serialNumber)") }
        return parts.isEmpty ? "any USB id" : parts.joined(separator: ", ")
    }
}
