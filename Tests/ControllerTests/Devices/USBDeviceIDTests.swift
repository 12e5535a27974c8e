import Controller
import Testing

struct USBDeviceIDTests {
    @Test(arguments: ["303a:1001", "303A:1001", "303a:1001"])
    func parsesHexPairInAnyCase(text: String) {
        #expect(USBDeviceID(text) == .espressifUSBSerialJTAG)
    }

    @Test func printsFourLowerCaseDigitsEachLikeLsusb() {
        #expect(USBDeviceID(vendor: 0x403, product: 0x6001).description == "0403:6001")
        #expect(USBDeviceID.ch9102.description == "1a86:55d4")
        #expect(USBDeviceID("403:6001")?.description == "0403:6001")
    }

    @Test(arguments: ["", "303a", "303a:", ":1001", "303a:1001:1", "12345:1001", "303g:1001", "0x303a:1001", " 303a:1001"])
    func rejectsAnythingButTwoHexFieldsOfUpToFourDigits(text: String) {
        #expect(USBDeviceID(text) == nil)
    }

    @Test func readsSysfsAttributeValuesWithTrailingNewline() {
        #expect(USBDeviceID(vendorHex: "10c4\n", productHex: "ea60\n") == .cp210x)
        #expect(USBDeviceID(vendorHex: "zzzz", productHex: "ea60") == nil)
    }
}
