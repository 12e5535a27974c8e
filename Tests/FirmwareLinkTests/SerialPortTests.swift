import FirmwareLink
import Testing

/// The tty layer over a real pseudo-terminal, without any device behind it.
@Suite struct SerialPortTests {
    @Test func bytesCrossAPseudoTerminalBothWaysUnaltered() throws {
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        let port = try SerialPort(path: terminal.slavePath, baud: 921_600)
        defer { port.close() }
        let all = (0...255).map { UInt8($0) } // raw mode: no echo, no CR/LF or ^C translation
        try all.withUnsafeBytes { try port.write($0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 512)
        while received.count < all.count, try terminal.waitForInput(timeout: .milliseconds(500)) {
            let n = try buffer.withUnsafeMutableBytes { try terminal.readAvailable(into: $0) }
            received += buffer[..<n]
        }
        #expect(received == all)

        #expect(try all.withUnsafeBytes { try terminal.writeAvailable($0) } == all.count)
        received.removeAll()
        while received.count < all.count {
            let n = try buffer.withUnsafeMutableBytes { try port.read(into: $0, timeout: .milliseconds(500)) }
            if n == 0 { break }
            received += buffer[..<n]
        }
        #expect(received == all)
    }

    @Test func aMissingPortIsNamedInTheError() {
        #expect(throws: LinkError.self) { try SerialPort(path: "/dev/does-not-exist-furuta") }
        do {
            _ = try SerialPort(path: "/dev/does-not-exist-furuta")
        } catch {
            #expect(error.description.contains("cannot open /dev/does-not-exist-furuta"))
        }
    }

    @Test func aSilentDeviceTimesOutTheHandshake() throws {
        let terminal = try PseudoTerminal()
        defer { terminal.close() }
        let link = try DeviceLink(port: terminal.slavePath, baud: nil)
        let start = ContinuousClock.now
        #expect(throws: LinkError.timeout(port: terminal.slavePath, waitingFor: "hello_reply",
                                          after: .milliseconds(300))) {
            try link.handshake(timeout: .milliseconds(300))
        }
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(link.counters.framesSent >= 2) // hello was retried
    }

    @Test func closingThePseudoTerminalReadsAsDisconnected() throws {
        let terminal = try PseudoTerminal()
        let port = try SerialPort(path: terminal.slavePath, baud: nil)
        terminal.close()
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(throws: LinkError.disconnected(port: terminal.slavePath)) {
            _ = try buffer.withUnsafeMutableBytes { try port.read(into: $0, timeout: .milliseconds(200)) }
        }
    }
}
