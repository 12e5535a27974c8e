import Controller
import Foundation
import Testing

/// `furuta-controller devices`, run as the built binary.
struct DevicesCommandTests {
    private var binary: String { BuiltProducts.executable("furuta-controller") }

    private func requireBinary() throws {
        try #require(FileManager.default.isExecutableFile(atPath: binary),
                     "\(binary) is missing: run `swift build` (swift test builds it too)")
    }

    @Test func jsonListsMatchingPortsAndIsEmptyArrayWhenNoneIsPlugged() throws {
        try requireBinary()
        let result = try ChildProcess.run(binary, ["devices", "--json"], timeout: .seconds(30))
        #expect(result.status == 0, "\(result.standardError)")
        // On this machine (no ESP32) exactly "[]"; elsewhere, the same ports discovery sees.
        let expected = try DeviceDiscovery.matchingDevices(.esp32Defaults).map(\.devnode)
        if expected.isEmpty {
            #expect(result.standardOutput == "[]\n")
        } else {
            let rows = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]]
            #expect(rows?.compactMap { $0["port"] as? String } == expected)
        }
    }

    @Test func malformedVidPidIsRefusedWithTheExpectedForm() throws {
        try requireBinary()
        let result = try ChildProcess.run(binary, ["devices", "--vid-pid", "303a"], timeout: .seconds(30))
        #expect(result.status == 64)  // EX_USAGE
        #expect(result.standardError.contains("write vendor:product in hex, e.g. --vid-pid 303a:1001"))
    }

    /// umockdev-run sets up a test bed from a device description and runs the command in it.
    @Test func listsFakeESP32AndHidesForeignPortUnlessAll() throws {
        try requireBinary()
        let umockdevRun = try #require(BuiltProducts.systemTool("umockdev-run"),
                                       "umockdev-run not found: apt-get install -y umockdev")
        let board = FakeUSBSerialDevice.espressif()
        let description = FileManager.default.temporaryDirectory.appendingPathComponent("furuta-\(UUID()).umockdev")
        try (board.umockdevDescription + "\n" + FakeUSBSerialDevice.foreign().umockdevDescription)
            .write(to: description, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: description) }

        func run(_ arguments: [String]) throws -> ChildProcess.Result {
            try ChildProcess.run(umockdevRun, ["-d", description.path, "--", binary] + arguments, timeout: .seconds(30))
        }

        let json = try run(["devices", "--json"])
        #expect(json.status == 0, "\(json.standardError)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["port"] as? String == "/dev/ttyACM0")
        #expect(rows.first?["vendor_id"] as? String == "303a")
        #expect(rows.first?["product_id"] as? String == "1001")
        #expect(rows.first?["serial_number"] as? String == board.serialNumber)
        #expect(rows.first?["driver"] as? String == "cdc_acm")

        let table = try run(["devices", "--all"])
        let lines = table.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("PORT") == true)
        #expect(lines.contains { $0.hasPrefix("/dev/ttyACM0") && $0.contains("303a:1001") && $0.hasSuffix("yes") })
        #expect(lines.contains { $0.hasPrefix("/dev/ttyUSB0") && $0.contains("046d:c52b") && $0.hasSuffix("no") })

        let bySerial = try run(["devices", "--json", "--serial", "not-this-one"])
        #expect(bySerial.standardOutput == "[]\n")
    }
}
