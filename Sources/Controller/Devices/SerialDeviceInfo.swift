/// One serial port as discovery sees it: where to open it and what USB device stands behind it.
///
/// Everything except `devnode` and `syspath` is optional, because not every tty has a USB
/// parent (`/dev/ttyS0`, ptys), and on removal the kernel has already deleted the sysfs
/// attributes the other fields come from.
public struct SerialDeviceInfo: Sendable, Hashable {
    /// Path to open, e.g. `/dev/ttyACM0`.
    public var devnode: String
    /// Kernel device path, e.g. `/sys/devices/pci0000:00/…/1-1:1.0/tty/ttyACM0`; stable while
    /// the device stays plugged, so removal is matched on it.
    public var syspath: String
    /// Vendor/product id of the parent USB device; nil when the tty is not behind USB.
    public var usbID: USBDeviceID?
    /// The USB device's `serial` string (Espressif's native USB reports its MAC address).
    public var serialNumber: String?
    /// Kernel driver bound nearest to the tty: `cdc_acm`, `cp210x`, `ch341`, …
    public var driver: String?
    /// The USB device's `manufacturer` string.
    public var manufacturer: String?
    /// The USB device's `product` string.
    public var product: String?
    /// USB interface number of the tty, which tells ports of multi-port bridges apart.
    public var interfaceNumber: Int?

    public init(
        devnode: String,
        syspath: String,
        usbID: USBDeviceID? = nil,
        serialNumber: String? = nil,
        driver: String? = nil,
        manufacturer: String? = nil,
        product: String? = nil,
        interfaceNumber: Int? = nil
    ) {
        self.devnode = devnode
        self.syspath = syspath
        self.usbID = usbID
        self.serialNumber = serialNumber
        self.driver = driver
        self.manufacturer = manufacturer
        self.product = product
        self.interfaceNumber = interfaceNumber
    }

    /// True when `other` is the same port: same kernel path, or same device node. Removal events
    /// carry both, but either alone is enough to recognise the port we opened.
    public func isSamePort(as other: SerialDeviceInfo) -> Bool {
        syspath == other.syspath || devnode == other.devnode
    }
}
