/// What libudev tells us about one tty, as plain strings: the recorded property set that
/// discovery turns into a `SerialDeviceInfo`.
///
/// Keeping this step apart from the libudev calls lets tests feed recorded sets from real
/// machines (with and without udevd) through exactly the code the controller runs.
public struct TTYDeviceRecord: Sendable, Hashable {
    /// `udev_device_get_syspath` of the tty.
    public var syspath: String
    /// `udev_device_get_devnode` of the tty; nil for ttys without a device node.
    public var devnode: String?
    /// The tty's udev properties. With udevd running they include `ID_VENDOR_ID`, `ID_MODEL_ID`,
    /// `ID_SERIAL_SHORT`, …; without udevd only the kernel's (`DEVNAME`, `MAJOR`, …).
    public var properties: [String: String]
    /// sysfs attributes of the parent `usb`/`usb_device` (`idVendor`, `idProduct`, `serial`,
    /// `manufacturer`, `product`); nil when the tty has no USB parent.
    public var usbDeviceAttributes: [String: String]?
    /// `bInterfaceNumber` of the parent `usb`/`usb_interface`, as the kernel writes it ("00").
    public var usbInterfaceNumber: String?
    /// Driver bound to the nearest ancestor that has one (`cdc_acm`, `cp210x`, `ch341`, …).
    public var driver: String?

    public init(
        syspath: String,
        devnode: String?,
        properties: [String: String] = [:],
        usbDeviceAttributes: [String: String]? = nil,
        usbInterfaceNumber: String? = nil,
        driver: String? = nil
    ) {
        self.syspath = syspath
        self.devnode = devnode
        self.properties = properties
        self.usbDeviceAttributes = usbDeviceAttributes
        self.usbInterfaceNumber = usbInterfaceNumber
        self.driver = driver
    }

    /// The names of the sysfs attributes discovery reads from the USB parent.
    static let usbDeviceAttributeNames = ["idVendor", "idProduct", "serial", "manufacturer", "product"]
}

extension SerialDeviceInfo {
    /// Reads a record the way discovery does; nil when the tty has no device node to open.
    ///
    /// sysfs attributes come first because they exist with or without udevd (CI and minimal
    /// robot images run none). udevd's `ID_*` properties are the fallback, which matters for
    /// removal events: by then the kernel has deleted sysfs, but udevd's event still carries
    /// the properties it computed at "add".
    public init?(record: TTYDeviceRecord) {
        guard let devnode = record.devnode?.trimmingWhitespace(), !devnode.isEmpty else { return nil }
        let usb = record.usbDeviceAttributes ?? [:]
        let properties = record.properties

        func firstNonEmpty(_ candidates: String?...) -> String? {
            for candidate in candidates {
                if let value = candidate?.trimmingWhitespace(), !value.isEmpty { return value }
            }
            return nil
        }

        var usbID: USBDeviceID?
        if let vendor = usb["idVendor"], let product = usb["idProduct"] {
            usbID = USBDeviceID(vendorHex: vendor, productHex: product)
        }
        if usbID == nil, let vendor = properties["ID_VENDOR_ID"], let product = properties["ID_MODEL_ID"] {
            usbID = USBDeviceID(vendorHex: vendor, productHex: product)
        }

        self.init(
            devnode: devnode,
            syspath: record.syspath,
            usbID: usbID,
            serialNumber: firstNonEmpty(usb["serial"], properties["ID_SERIAL_SHORT"]),
            driver: firstNonEmpty(record.driver, properties["ID_USB_DRIVER"]),
            manufacturer: firstNonEmpty(usb["manufacturer"], properties["ID_VENDOR_ENC"].map(Self.decodeUdevEscapes)),
            product: firstNonEmpty(usb["product"], properties["ID_MODEL_ENC"].map(Self.decodeUdevEscapes)),
            interfaceNumber: firstNonEmpty(record.usbInterfaceNumber, properties["ID_USB_INTERFACE_NUM"])
                .flatMap { Int($0, radix: 16) }
        )
    }

    /// udevd writes `ID_*_ENC` values with `\x20`-style escapes for anything but [A-Za-z0-9].
    static func decodeUdevEscapes(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.first {
            if byte == UInt8(ascii: "\\"), utf8.count >= 4,
               utf8[utf8.startIndex + 1] == UInt8(ascii: "x"),
               let value = UInt8(String(decoding: utf8[(utf8.startIndex + 2)..<(utf8.startIndex + 4)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(4)
            } else {
                bytes.append(byte)
                utf8 = utf8.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
