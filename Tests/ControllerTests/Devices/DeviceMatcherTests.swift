import Controller
import Testing

struct DeviceMatcherTests {
    private func port(_ id: USBDeviceID?, serial: String? = nil) -> SerialDeviceInfo {
        SerialDeviceInfo(devnode: "/dev/ttyACM0", syspath: "/sys/devices/x/tty/ttyACM0", usbID: id, serialNumber: serial)
    }

    @Test(arguments: [USBDeviceID.espressifUSBSerialJTAG, .cp210x, .ch340, .ch9102])
    func defaultsAcceptEveryUsualESP32Bridge(id: USBDeviceID) {
        #expect(DeviceMatcher.esp32Defaults.matches(port(id)))
    }

    @Test func defaultsRejectOtherUSBDevices() {
        #expect(!DeviceMatcher.esp32Defaults.matches(port(USBDeviceID(vendor: 0x046d, product: 0xc52b))))
        #expect(!DeviceMatcher.esp32Defaults.matches(port(USBDeviceID(vendor: 0x0403, product: 0x6001))))
    }

    @Test func portsWithoutUSBParentNeverMatchEvenWithAnyIDAllowed() {
        #expect(!DeviceMatcher.esp32Defaults.matches(port(nil)))
        #expect(!DeviceMatcher(usbIDs: []).matches(port(nil)))
    }

    @Test func serialNumberAloneSelectsOneBoardBehindAnyBridge() {
        let matcher = DeviceMatcher.configured(usbIDs: [], serialNumber: "F4:12:FA:00:11:22")
        #expect(matcher.usbIDs.isEmpty)
        #expect(matcher.matches(port(USBDeviceID(vendor: 0x0403, product: 0x6001), serial: "F4:12:FA:00:11:22")))
        #expect(!matcher.matches(port(.espressifUSBSerialJTAG, serial: "F4:12:FA:00:11:23")))
        #expect(!matcher.matches(port(.espressifUSBSerialJTAG, serial: nil)))
    }

    @Test func explicitIDsReplaceTheDefaultsAndCombineWithSerial() {
        let matcher = DeviceMatcher.configured(usbIDs: [.cp210x], serialNumber: "0001")
        #expect(matcher.matches(port(.cp210x, serial: "0001")))
        #expect(!matcher.matches(port(.espressifUSBSerialJTAG, serial: "0001")))
        #expect(!matcher.matches(port(.cp210x, serial: "0002")))
    }

    @Test func noOptionsMeansTheESP32DefaultsAndEmptySerialMeansNone() {
        #expect(DeviceMatcher.configured(usbIDs: [], serialNumber: nil) == .esp32Defaults)
        #expect(DeviceMatcher.configured(usbIDs: [], serialNumber: "") == .esp32Defaults)
    }

    @Test func describesItselfForErrorMessages() {
        #expect(DeviceMatcher.esp32Defaults.description == "USB id 303a:1001, 10c4:ea60, 1a86:7523 or 1a86:55d4")
        #expect(DeviceMatcher.configured(usbIDs: [], serialNumber: "X1").description == "serial number X1")
        #expect(DeviceMatcher(usbIDs: [.cp210x], serialNumber: "X1").description == "USB id 10c4:ea60, serial number X1")
    }
}
