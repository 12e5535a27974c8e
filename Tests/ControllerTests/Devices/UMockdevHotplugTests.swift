@testable import Controller
import Foundation
import Testing

/// Discovery and hotplug against fake USB devices: umockdev gives libudev a private /sys and
/// /dev, delivers uevents to both "udev" and "kernel" monitors, and backs tty nodes with ptys.
/// Each test relaunches itself under umockdev-wrapper (see `UMockdevSandbox`).
@Suite("Devices under umockdev")
struct UMockdevHotplugTests {
    @Test func monitorSeesFakeEspressifDeviceAppearAndDisappear() throws {
        try UMockdevSandbox.run { testbed in
            // One plug/unplug cycle per netlink source; a removed node name cannot be reused in
            // the same test bed, so each cycle plugs the board in on a fresh bus and tty.
            for (round, source) in MonitorSource.allCases.enumerated() {
                let board = FakeUSBSerialDevice.espressif(bus: round + 1, ttyName: "ttyACM\(round)")
                let events = EventRecorder()
                let monitor = try DeviceMonitor(source: source) { events.record($0) }
                defer { monitor.stop() }
                #expect(monitor.initialDevices.isEmpty, "source \(source)")

                try testbed.plug(board)
                let added = try #require(events.next(), "no add event on the \(source) source")
                #expect(added.action == .added)
                #expect(added.device.devnode == board.devnode)
                #expect(added.device.syspath == board.ttySyspath)
                #expect(added.device.usbID == .espressifUSBSerialJTAG)
                #expect(added.device.serialNumber == board.serialNumber)
                #expect(added.device.driver == "cdc_acm")
                #expect(added.device.manufacturer == "Espressif")
                #expect(added.device.interfaceNumber == 0)
                #expect(DeviceMatcher.esp32Defaults.matches(added.device))

                testbed.unplug(board)
                let removed = try #require(events.next(), "no remove event on the \(source) source")
                #expect(removed.action == .removed)
                #expect(removed.device.devnode == board.devnode)
                #expect(removed.device.usbID == .espressifUSBSerialJTAG)
                #expect(try DeviceDiscovery.serialDevices().isEmpty, "sysfs still lists the unplugged tty")
            }
        }
    }

    @Test func deviceWithForeignUSBIDIsSeenButNeverMatched() throws {
        try UMockdevSandbox.run { testbed in
            let foreign = FakeUSBSerialDevice.foreign()
            let events = EventRecorder()
            let monitor = try DeviceMonitor(source: .udev) { events.record($0) }
            defer { monitor.stop() }

            // Plugged in while the wait is listening: the event arrives and is rejected.
            let started = ContinuousClock.now
            #expect {
                _ = try DeviceDiscovery.waitForMatchingDevice(
                    matcher: .esp32Defaults, timeout: .milliseconds(300), source: .udev,
                    whenWaiting: { try? testbed.plug(foreign) })
            } throws: { error in
                guard case .noMatchingDevice(_, _, let seen) = error as? DeviceDiscoveryError else { return false }
                return seen.map(\.devnode) == [foreign.devnode]
            }
            #expect(ContinuousClock.now - started < .seconds(3), "the wait overran its timeout")

            let added = try #require(events.next(), "the monitor never saw the foreign device")
            #expect(added.device.usbID == USBDeviceID(vendor: 0x046d, product: 0xc52b))
            #expect(added.device.driver == "ftdi_sio", "driver of the usb-serial port between tty and interface")
            #expect(!DeviceMatcher.esp32Defaults.matches(added.device))
            #expect(try DeviceDiscovery.matchingDevices(.esp32Defaults).isEmpty)
            #expect(try DeviceDiscovery.usbSerialDevices().map(\.devnode) == [foreign.devnode])
        }
    }

    @Test func waitingReturnsTheFakeDeviceOnceItAppearsAndItsNodeReachesThePty() throws {
        try UMockdevSandbox.run { testbed in
            let board = FakeUSBSerialDevice.espressif()
            // Both plugged in only once the wait is listening, so the answer must come from the
            // monitor, and the foreign device arriving first must not end the wait.
            let device = try DeviceDiscovery.waitForMatchingDevice(
                matcher: .esp32Defaults, timeout: .seconds(5), source: .automatic(),
                whenWaiting: {
                    try? testbed.plug(.foreign())
                    try? testbed.plug(board)
                })
            #expect(device.devnode == board.devnode)
            #expect(device.serialNumber == board.serialNumber)

            let port = open(device.devnode, O_RDWR | O_NOCTTY)
            try #require(port >= 0, "open \(device.devnode): \(String(cString: strerror(errno)))")
            defer { close(port) }
            let frame: [UInt8] = [0x02, 0x46, 0x55, 0x52, 0x00]
            #expect(write(port, frame, frame.count) == frame.count)

            let master = testbed.masterFileDescriptor(of: board.devnode)
            try #require(master >= 0)
            var ready = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            try #require(poll(&ready, 1, 5000) == 1, "nothing arrived on the pty within 5 s")
            var received = [UInt8](repeating: 0, count: 64)
            let count = read(master, &received, received.count)
            #expect(Array(received.prefix(max(count, 0))) == frame)
        }
    }

    @Test func waitingReturnsAPresentDeviceAtOnceAndRefusesToGuessBetweenTwo() throws {
        try UMockdevSandbox.run { testbed in
            let first = FakeUSBSerialDevice.espressif(bus: 1, ttyName: "ttyACM0", serialNumber: "AA:00:00:00:00:01")
            let second = FakeUSBSerialDevice.espressif(bus: 2, ttyName: "ttyACM1", serialNumber: "AA:00:00:00:00:02")
            try testbed.plug(first)
            let found = try DeviceDiscovery.waitForMatchingDevice(
                matcher: .esp32Defaults, timeout: .milliseconds(100), source: .udev,
                whenWaiting: { Issue.record("waited although the device was already present") })
            #expect(found.devnode == first.devnode)

            try testbed.plug(second)
            #expect {
                _ = try DeviceDiscovery.waitForMatchingDevice(matcher: .esp32Defaults, timeout: .milliseconds(100))
            } throws: { error in
                guard case .ambiguousMatch(_, let candidates) = error as? DeviceDiscoveryError else { return false }
                return candidates.map(\.devnode) == [first.devnode, second.devnode]
            }
            let bySerial = DeviceMatcher.configured(usbIDs: [], serialNumber: "AA:00:00:00:00:02")
            #expect(try DeviceDiscovery.waitForMatchingDevice(matcher: bySerial, timeout: .milliseconds(100)).devnode
                    == second.devnode)
        }
    }

    @Test func removalWatchRaisesItsFlagOnceWhenThePortIsUnplugged() throws {
        try UMockdevSandbox.run { testbed in
            let board = FakeUSBSerialDevice.espressif()
            let bystander = FakeUSBSerialDevice.foreign()
            try testbed.plug(board)
            try testbed.plug(bystander)
            let device = try #require(try DeviceDiscovery.matchingDevices(.esp32Defaults).first)

            let removals = EventRecorder()
            let watch = try DeviceRemovalWatch(device: device, source: .udev) {
                removals.record(DeviceEvent(action: .removed, device: $0))
            }
            defer { watch.stop() }
            #expect(!watch.isRemoved)

            // Another port leaving must not stop the controller.
            testbed.unplug(bystander)
            #expect(removals.next(within: 0.2) == nil)
            #expect(!watch.isRemoved)

            testbed.unplug(board)
            let removal = try #require(removals.next(), "no removal callback")
            #expect(removal.device.devnode == board.devnode)
            #expect(watch.isRemoved)
            #expect(removals.next(within: 0.1) == nil, "the callback ran more than once")

            // A watch started after the port is gone reports it at once.
            let late = try DeviceRemovalWatch(device: device, source: .udev)
            defer { late.stop() }
            #expect(late.isRemoved)
        }
    }

    @Test func stoppingFromInsideTheCallbackEndsDeliveryWithoutDeadlock() throws {
        try UMockdevSandbox.run { testbed in
            let events = EventRecorder()
            let box = MonitorBox()
            let monitor = try DeviceMonitor(source: .udev) { event in
                events.record(event)
                box.monitor?.stop()  // must not wait for its own thread
            }
            box.monitor = monitor
            // Two boards in one go: both "add" events are queued before the first callback.
            try testbed.add(FakeUSBSerialDevice.espressif(bus: 1, ttyName: "ttyACM0").umockdevDescription
                + "\n" + FakeUSBSerialDevice.espressif(bus: 2, ttyName: "ttyACM1", serialNumber: "B").umockdevDescription)
            #expect(events.next() != nil)
            #expect(events.next(within: 0.2) == nil, "an event was delivered after stop()")
            monitor.stop()
        }
    }
}

/// Lets a monitor's callback reach the monitor it belongs to (assigned before any event).
private final class MonitorBox: @unchecked Sendable {
    var monitor: DeviceMonitor?
}
