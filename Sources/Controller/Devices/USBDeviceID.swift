/// A USB vendor/product id pair, written the way `lsusb` and udev rules write it: `303a:1001`.
///
/// The ESP32 reaches the host through one of a few USB chips; the pair identifies the chip,
/// not the board, which is why a serial number can narrow the match further (`DeviceMatcher`).
public struct USBDeviceID: Sendable, Hashable, Comparable {
    public var vendor: UInt16
    public var product: UInt16

    public init(vendor: UInt16, product: UInt16) {
        self.vendor = vendor
        self.product = product
    }

    /// Parses `vvvv:pppp` (hexadecimal, 1–4 digits each, any case); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let vendor = USBDeviceID.parseHex16(parts[0]),
              let product = USBDeviceID.parseHex16(parts[1])
        else { return nil }
        self.init(vendor: vendor, product: product)
    }

    /// Parses the pair from sysfs attribute values (`idVendor`, `idProduct`), which the kernel
    /// writes as four lower-case hex digits, sometimes with a trailing newline.
    public init?(vendorHex: String, productHex: String) {
        guard let vendor = USBDeviceID.parseHex16(vendorHex.trimmingWhitespace()),
              let product = USBDeviceID.parseHex16(productHex.trimmingWhitespace())
        else { return nil }
        self.init(vendor: vendor, product: product)
    }

    public static func < (lhs: USBDeviceID, rhs: USBDeviceID) -> Bool {
        (lhs.vendor, lhs.product) < (rhs.vendor, rhs.product)
    }

    private static func parseHex16(_ digits: Substring) -> UInt16? {
        guard (1...4).contains(digits.count), digits.allSatisfy(\.isHexDigit) else { return nil }
        return UInt16(digits, radix: 16)
    }

    private static func parseHex16(_ digits: String) -> UInt16? { parseHex16(Substring(digits)) }
}

extension USBDeviceID: CustomStringConvertible {
    /// `303a:1001`: four lower-case hex digits each, as `lsusb` and udev rules print them.
    public var description: String { "\(USBDeviceID.hex4(vendor)):\(USBDeviceID.hex4(product))" }

    /// Four lower-case hex digits; the vendor half is what udev's `ATTRS{idVendor}` compares.
    public var vendorHex: String { USBDeviceID.hex4(vendor) }
    /// Four lower-case hex digits; the product half is what udev's `ATTRS{idProduct}` compares.
    public var productHex: String { USBDeviceID.hex4(product) }

    static func hex4(_ value: UInt16) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

// MARK: the USB-serial bridges an ESP32 board is found behind

extension USBDeviceID {
    /// Espressif's built-in USB-Serial/JTAG controller (ESP32-S3, -C3, -C6 native USB).
    public static let espressifUSBSerialJTAG = USBDeviceID(vendor: 0x303a, product: 0x1001)
    /// Silicon Labs CP210x bridge (most ESP32 DevKitC boards).
    public static let cp210x = USBDeviceID(vendor: 0x10c4, product: 0xea60)
    /// WCH CH340 bridge (many low-cost boards).
    public static let ch340 = USBDeviceID(vendor: 0x1a86, product: 0x7523)
    /// WCH CH9102 bridge (newer DevKit revisions).
    public static let ch9102 = USBDeviceID(vendor: 0x1a86, product: 0x55d4)
}

extension String {
    /// sysfs attribute values end in a newline and udev properties may be padded; both are noise.
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first.isWhitespace { view.removeFirst() }
        while let last = view.last, last.isWhitespace { view.removeLast() }
        return String(view)
    }
}
