@testable import Controller
import Testing

/// `SerialDeviceInfo(record:)` over property sets as libudev reports them on real machines.
struct RecordedDevicePropertiesTests {
    /// An ESP32-S3 native USB port on a machine without udevd (CI, minimal images): the tty has
    /// kernel properties only; everything else comes from the USB parent's sysfs attributes.
    static let espressifWithoutUdevd = TTYDeviceRecord(
        syspath: "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-2/1-2:1.0/tty/ttyACM0",
        devnode: "/dev/ttyACM0",
        properties: ["DEVNAME": "ttyACM0", "MAJOR": "166", "MINOR": "0", "SUBSYSTEM": "tty"],
        usbDeviceAttributes: [
            "idVendor": "303a\n", "idProduct": "1001\n", "serial": "F4:12:FA:00:11:22\n",
            "manufacturer": "Espressif\n", "product": "USB JTAG/serial debug unit\n",
        ],
        usbInterfaceNumber: "00\n",
        driver: "cdc_acm")

    /// A CP2102 board seen in udevd's "remove" event: sysfs is already gone, so only the
    /// properties udevd computed at "add" remain.
    static let cp2102RemovedUnderUdevd = TTYDeviceRecord(
        syspath: "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-3/1-3:1.0/ttyUSB0/tty/ttyUSB0",
        devnode: "/dev/ttyUSB0",
        properties: [
            "ACTION": "remove", "DEVNAME": "/dev/ttyUSB0", "SUBSYSTEM": "tty",
            "ID_VENDOR_ID": "10c4", "ID_MODEL_ID": "ea60", "ID_SERIAL_SHORT": "0001",
            "ID_VENDOR_ENC": "Silicon\\x20Labs", "ID_MODEL_ENC": "CP2102\\x20USB\\x20to\\x20UART\\x20Bridge\\x20Controller",
            "ID_USB_DRIVER": "cp210x", "ID_USB_INTERFACE_NUM": "00",
        ])

    /// The first on-board UART: a tty with a node but no USB parent.
    static let onboardUART = TTYDeviceRecord(
        syspath: "/sys/devices/platform/serial8250/tty/ttyS0",
        devnode: "/dev/ttyS0",
        properties: ["DEVNAME": "ttyS0", "MAJOR": "4", "MINOR": "64", "SUBSYSTEM": "tty"])

    @Test func readsIdsSerialAndStringsFromUSBParentWithoutUdevd() throws {
        let info = try #require(SerialDeviceInfo(record: Self.espressifWithoutUdevd))
        #expect(info == SerialDeviceInfo(
            devnode: "/dev/ttyACM0",
            syspath: Self.espressifWithoutUdevd.syspath,
            usbID: .espressifUSBSerialJTAG,
            serialNumber: "F4:12:FA:00:11:22",
            driver: "cdc_acm",
            manufacturer: "Espressif",
            product: "USB JTAG/serial debug unit",
            interfaceNumber: 0))
        #expect(DeviceMatcher.esp32Defaults.matches(info))
    }

    @Test func fallsBackToUdevdPropertiesWhenSysfsIsGone() throws {
        let info = try #require(SerialDeviceInfo(record: Self.cp2102RemovedUnderUdevd))
        #expect(info.usbID == .cp210x)
        #expect(info.serialNumber == "0001")
        #expect(info.driver == "cp210x")
        #expect(info.manufacturer == "Silicon Labs")
        #expect(info.product == "CP2102 USB to UART Bridge Controller")
        #expect(info.interfaceNumber == 0)
        #expect(DeviceMatcher.configured(usbIDs: [], serialNumber: "0001").matches(info))
    }

    @Test func prefersSysfsOverUdevdPropertiesWhenBothExist() throws {
        var record = Self.espressifWithoutUdevd
        record.properties["ID_VENDOR_ID"] = "10c4"
        record.properties["ID_MODEL_ID"] = "ea60"
        record.properties["ID_SERIAL_SHORT"] = "stale"
        let info = try #require(SerialDeviceInfo(record: record))
        #expect(info.usbID == .espressifUSBSerialJTAG)
        #expect(info.serialNumber == "F4:12:FA:00:11:22")
    }

    @Test func ttyWithoutUSBParentIsListedButNeverMatches() throws {
        let info = try #require(SerialDeviceInfo(record: Self.onboardUART))
        #expect(info.devnode == "/dev/ttyS0")
        #expect(info.usbID == nil)
        #expect(!DeviceMatcher.esp32Defaults.matches(info))
        #expect(!DeviceMatcher(usbIDs: []).matches(info))
    }

    @Test func ttyWithoutDeviceNodeIsNotAPort() {
        var record = Self.onboardUART
        record.devnode = nil
        #expect(SerialDeviceInfo(record: record) == nil)
        record.devnode = ""
        #expect(SerialDeviceInfo(record: record) == nil)
    }

    @Test func emptySerialAttributeCountsAsNoSerial() throws {
        var record = Self.espressifWithoutUdevd
        record.usbDeviceAttributes?["serial"] = "\n"
        let info = try #require(SerialDeviceInfo(record: record))
        #expect(info.serialNumber == nil)
    }

    @Test func removalKeepsWhatWasKnownWhilePresent() throws {
        let present = try #require(SerialDeviceInfo(record: Self.espressifWithoutUdevd))
        let reported = SerialDeviceInfo(devnode: present.devnode, syspath: present.syspath)
        let completed = present.completing(with: reported)
        #expect(completed == present)
    }

    @Test func udevActionsMapToEventKinds() {
        #expect(DeviceEvent.Action(udevAction: "add") == .added)
        #expect(DeviceEvent.Action(udevAction: "remove") == .removed)
        #expect(DeviceEvent.Action(udevAction: "change") == .other("change"))
    }
}
