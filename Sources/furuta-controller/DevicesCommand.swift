import ArgumentParser
import CommandLogging
import Controller
import Foundation
import RobotDescription

/// `furuta-controller devices`: which serial ports look like the pendulum's ESP32.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List serial ports that look like the pendulum's ESP32.",
        discussion: """
            Reads USB vendor/product ids, serial numbers and drivers through libudev (works \
            without udevd). By default a port matches when it sits behind one of the usual \
            ESP32 bridges: \(DeviceMatcher.defaultUSBIDs.map(\.description).joined(separator: ", ")).

            Examples:
              furuta-controller devices
              furuta-controller devices --json
              furuta-controller devices --vid-pid 303a:1001 --serial F4:12:FA:00:11:22
              furuta-controller devices --all
            """
    )

    @Flag(help: "Print a JSON array of ports instead of a table; [] when none matches.")
    var json = false

    @Option(
        name: .customLong("vid-pid"),
        help: ArgumentHelp(
            "USB vendor:product id to accept, in hex (repeatable). Replaces the default ESP32 list.",
            valueName: "vid:pid"),
        transform: DevicesCommand.parseUSBID)
    var vidPid: [USBDeviceID] = []

    @Option(help: "Accept only the USB device with this serial number (see the SERIAL column of --all).")
    var serial: String?

    @Flag(help: "List every USB serial port, matching or not, with a MATCH column.")
    var all = false

    @OptionGroup var logging: LogLevelOptions

    func run() throws {
        logging.apply()
        let matcher = DeviceMatcher.configured(usbIDs: vidPid, serialNumber: serial)
        let ports = try all ? DeviceDiscovery.usbSerialDevices() : DeviceDiscovery.matchingDevices(matcher)
        let rows = ports.map { DeviceRow(device: $0, matches: matcher.matches($0)) }
        if json {
            print(try DeviceRow.json(rows, includeMatch: all))
        } else if rows.isEmpty {
            print(all
                ? "No USB serial ports found."
                : "No serial port with \(matcher). Run with --all to list every USB serial port.")
        } else {
            print(DeviceRow.table(rows, includeMatch: all))
        }
    }
}

extension DevicesCommand {
    /// `--vid-pid` values, with an error that shows the expected form.
    static func parseUSBID(_ text: String) throws -> USBDeviceID {
        guard let id = USBDeviceID(text) else {
            throw ValidationError(
                "'\(text)' is not a USB id: write vendor:product in hex, e.g. --vid-pid 303a:1001 "
                    + "(lsusb prints it after \"ID\").")
        }
        return id
    }
}

/// One line of `devices` output, in both of its forms.
struct DeviceRow: Encodable {
    var port: String
    var vendorID: String?
    var productID: String?
    var serialNumber: String?
    var driver: String?
    var manufacturer: String?
    var product: String?
    var syspath: String
    var matches: Bool?

    init(device: SerialDeviceInfo, matches: Bool) {
        port = device.devnode
        vendorID = device.usbID?.vendorHex
        productID = device.usbID?.productHex
        serialNumber = device.serialNumber
        driver = device.driver
        manufacturer = device.manufacturer
        product = device.product
        syspath = device.syspath
        self.matches = matches
    }

    /// A JSON array; `[]` (exactly) when there are no rows, so scripts can compare verbatim.
    static func json(_ rows: [DeviceRow], includeMatch: Bool) throws -> String {
        if rows.isEmpty { return "[]" }
        let trimmed = includeMatch ? rows : rows.map { row in
            var row = row
            row.matches = nil
            return row
        }
        return try JSONOutput.string(trimmed)
    }

    static func table(_ rows: [DeviceRow], includeMatch: Bool) -> String {
        var header = ["PORT", "VID:PID", "SERIAL", "DRIVER", "PRODUCT"]
        if includeMatch { header.append("MATCH") }
        let body = rows.map { row -> [String] in
            var cells = [
                row.port,
                row.vendorID.map { "\($0):\(row.productID ?? "????")" } ?? "-",
                row.serialNumber ?? "-",
                row.driver ?? "-",
                [row.manufacturer, row.product].compactMap { $0 }.joined(separator: " ").nonEmpty ?? "-",
            ]
            if includeMatch { cells.append(row.matches == true ? "yes" : "no") }
            return cells
        }
        let all = [header] + body
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { cells in
            cells.enumerated().map { column, cell in
                column == cells.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
