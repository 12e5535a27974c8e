import Controller

/// Fake USB serial devices in umockdev-record's text format, laid out as the kernel does:
/// a `usb_device` with the ids and strings, its `usb_interface` with the bound driver, and
/// the tty, whose `N:` line makes umockdev back `/dev/<name>` with a pty.
struct FakeUSBSerialDevice {
    /// USB bus number; the sysfs path of the device is `…/usb<bus>/<bus>-1`.
    var bus: Int
    var id: USBDeviceID
    var serialNumber: String?
    /// `ttyACM<n>` (cdc_acm, directly under the interface) or `ttyUSB<n>` (behind a usb-serial
    /// port device that carries the bridge driver).
    var ttyName: String
    var driver: String
    var manufacturer: String?
    var product: String?

    var usbDeviceSyspath: String { "/sys/devices/pci0000:00/usb\(bus)/\(bus)-1" }
    var interfaceSyspath: String { "\(usbDeviceSyspath)/\(bus)-1:1.0" }
    private var isUSBSerial: Bool { ttyName.hasPrefix("ttyUSB") }
    var usbSerialPortSyspath: String { "\(interfaceSyspath)/\(ttyName)" }
    var ttySyspath: String {
        isUSBSerial ? "\(usbSerialPortSyspath)/tty/\(ttyName)" : "\(interfaceSyspath)/tty/\(ttyName)"
    }
    var devnode: String { "/dev/\(ttyName)" }

    /// Sysfs paths a real unplug removes, children first (umockdev leaves stale class links
    /// behind when a parent is removed before its children).
    var syspathsChildrenFirst: [String] {
        (isUSBSerial ? [ttySyspath, usbSerialPortSyspath] : [ttySyspath]) + [interfaceSyspath, usbDeviceSyspath]
    }

    /// The description for `UMockdevTestbed.add` and `umockdev-run -d`.
    var umockdevDescription: String {
        var text = """
            P: \(usbDeviceSyspath.dropFirst(4))
            E: SUBSYSTEM=usb
            E: DEVTYPE=usb_device
            A: idVendor=\(id.vendorHex)
            A: idProduct=\(id.productHex)

            """
        if let serialNumber { text += "A: serial=\(serialNumber)\n" }
        if let manufacturer { text += "A: manufacturer=\(manufacturer)\n" }
        if let product { text += "A: product=\(product)\n" }
        text += """

            P: \(interfaceSyspath.dropFirst(4))
            E: SUBSYSTEM=usb
            E: DEVTYPE=usb_interface
            A: bInterfaceNumber=00

            """
        if isUSBSerial {
            text += """

                P: \(usbSerialPortSyspath.dropFirst(4))
                E: SUBSYSTEM=usb-serial
                L: driver=../../../../../../bus/usb-serial/drivers/\(driver)

                """
        } else {
            text += "L: driver=../../../../../bus/usb/drivers/\(driver)\n"
        }
        // ttyACM* is char major 166, ttyUSB* 188; the minor is the number after the 6-letter prefix.
        let major = isUSBSerial ? 188 : 166
        let minor = Int(ttyName.dropFirst(6)) ?? 0
        text += """

            P: \(ttySyspath.dropFirst(4))
            N: \(ttyName)
            E: SUBSYSTEM=tty
            E: DEVNAME=\(devnode)
            E: MAJOR=\(major)
            E: MINOR=\(minor)
            A: dev=\(major):\(minor)

            """
        return text
    }
}

extension FakeUSBSerialDevice {
    /// An ESP32-S3 on its native USB-Serial/JTAG port (303a:1001, cdc_acm); Espressif reports
    /// the chip's MAC address as the serial number.
    static func espressif(bus: Int = 1, ttyName: String = "ttyACM0", serialNumber: String = "F4:12:FA:00:11:22") -> Self {
        FakeUSBSerialDevice(
            bus: bus, id: .espressifUSBSerialJTAG, serialNumber: serialNumber, ttyName: ttyName,
            driver: "cdc_acm", manufacturer: "Espressif", product: "USB JTAG/serial debug unit")
    }

    /// A USB serial port behind 046d:c52b, an id none of the ESP32 bridges uses.
    static func foreign(bus: Int = 5, ttyName: String = "ttyUSB0") -> Self {
        FakeUSBSerialDevice(
            bus: bus, id: USBDeviceID(vendor: 0x046d, product: 0xc52b), serialNumber: nil, ttyName: ttyName,
            driver: "ftdi_sio", manufacturer: "Logitech", product: "USB Receiver")
    }
}

extension UMockdevTestbed {
    /// Plugs the device in; umockdev emits an "add" uevent for each sysfs device it creates.
    func plug(_ device: FakeUSBSerialDevice) throws {
        try add(device.umockdevDescription)
    }

    /// Unplugs the device as the kernel would: "remove" for the tty, then sysfs goes away.
    func unplug(_ device: FakeUSBSerialDevice) {
        uevent(device.ttySyspath, "remove")
        for syspath in device.syspathsChildrenFirst { removeDevice(syspath) }
    }
}
