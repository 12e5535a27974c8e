import FirmwareLink
import Foundation
import Twin

/// Starts a VirtualDevice on a fresh pty, opens a DeviceLink on its slave like a controller
/// would, runs `body`, and tears both down.
@discardableResult
func withTwin<R>(
    faults: FaultInjection = .none, identity: TwinIdentity = TwinIdentity(), speed: Double = 1,
    hostSide: ProtocolSide = .thisBuild,
    _ body: (VirtualDevice, DeviceLink) throws -> R
) throws -> R {
    var options = VirtualDevice.Options()
    options.faults = faults
    options.identity = identity
    options.speed = speed
    let device = try VirtualDevice(plant: TestPlant(), options: options)
    device.start()
    defer { device.close() }
    let port = try SerialPort(path: device.slavePath, baud: nil)
    defer { port.close() }
    let link = DeviceLink(channel: port, hostSide: hostSide)
    return try body(device, link)
}

/// Polls `condition` every millisecond until it holds or `timeout` passes; returns whether it held.
func eventually(within timeout: Duration, _ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.001)
    }
    return condition()
}
