import Controller
import Testing

/// The errors a user sees from `--port auto` and `devices` say what to do next.
struct DeviceDiscoveryErrorTests {
    @Test func timeoutNamesTheMatcherAndListsNonMatchingPortsWithTheFix() {
        let foreign = SerialDeviceInfo(
            devnode: "/dev/ttyUSB0", syspath: "/sys/x", usbID: USBDeviceID(vendor: 0x0403, product: 0x6001),
            serialNumber: "A10K")
        let text = DeviceDiscoveryError.noMatchingDevice(
            matcher: .esp32Defaults, timeout: .seconds(5), seen: [foreign]).description
        #expect(text.contains("USB id 303a:1001, 10c4:ea60, 1a86:7523 or 1a86:55d4"))
        #expect(text.contains("within 5 s"))
        #expect(text.contains("/dev/ttyUSB0 (0403:6001, serial A10K)"))
        #expect(text.contains("--vid-pid"))
        #expect(text.contains("furuta-controller devices --all"))
    }

    @Test func ambiguityAsksForSerialOrPort() {
        let ports = ["/dev/ttyACM0", "/dev/ttyACM1"].map {
            SerialDeviceInfo(devnode: $0, syspath: "/sys/\($0)", usbID: .espressifUSBSerialJTAG, serialNumber: "S\($0.last!)")
        }
        let text = DeviceDiscoveryError.ambiguousMatch(matcher: .esp32Defaults, candidates: ports).description
        #expect(text.hasPrefix("2 serial ports match"))
        #expect(text.contains("/dev/ttyACM0 (serial S0)"))
        #expect(text.contains("--serial"))
        #expect(text.contains("--port"))
    }
}
