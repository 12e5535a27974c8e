@testable import Controller
import Foundation
import Testing

/// libudev against this machine's real /sys and netlink, where no ESP32 is plugged in.
struct HostDeviceMonitorTests {
    @Test func automaticSourceIsUdevExactlyWhenUdevdControlSocketExists() throws {
        #expect(MonitorSource.automatic(udevControlSocket: "/nonexistent/udev/control") == .kernel)
        let standIn = FileManager.default.temporaryDirectory.appendingPathComponent("control-\(UUID())").path
        try Data().write(to: URL(fileURLWithPath: standIn))
        defer { try? FileManager.default.removeItem(atPath: standIn) }
        #expect(MonitorSource.automatic(udevControlSocket: standIn) == .udev)
    }

    @Test func enumerationListsOnlyTTYsWithDeviceNodes() throws {
        let devices = try DeviceDiscovery.serialDevices()
        for device in devices {
            #expect(device.devnode.hasPrefix("/dev/"))
            #expect(device.syspath.hasPrefix("/sys/"))
        }
        #expect(devices.map(\.devnode) == devices.map(\.devnode).sorted())
    }

    @Test(arguments: MonitorSource.allCases)
    func monitorStartsAndStopsPromptly(source: MonitorSource) throws {
        let started = ContinuousClock.now
        let monitor = try DeviceMonitor(source: source) { _ in }
        #expect(monitor.source == source)
        monitor.stop()
        monitor.stop()  // idempotent
        #expect(ContinuousClock.now - started < .seconds(1))
    }

    @Test func waitingForAnAbsentBoardTimesOutOnSchedule() throws {
        let absent = DeviceMatcher.configured(usbIDs: [], serialNumber: "no-such-board-\(UUID())")
        let started = ContinuousClock.now
        #expect {
            _ = try DeviceDiscovery.waitForMatchingDevice(matcher: absent, timeout: .milliseconds(150))
        } throws: { error in
            guard case .noMatchingDevice(let matcher, let timeout, _) = error as? DeviceDiscoveryError else { return false }
            return matcher == absent && timeout == .milliseconds(150)
        }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .milliseconds(150))
        #expect(elapsed < .seconds(2))
    }

    @Test func pollTimeoutsRoundUpSoShortWaitsNeverSpin() {
        #expect(Duration.zero.pollMilliseconds == 0)
        #expect(Duration.milliseconds(-5).pollMilliseconds == 0)
        #expect(Duration.microseconds(1).pollMilliseconds == 1)
        #expect(Duration.milliseconds(150).pollMilliseconds == 150)
        #expect(Duration.seconds(1_000_000_000).pollMilliseconds == Int32.max)
    }

    /// A real uevent from the real kernel: writing "change" to a tty's `uevent` attribute makes
    /// the kernel emit one, which only root may do. Proves the "kernel" source works here
    /// without udevd, outside umockdev.
    @Test(.enabled(if: access("/sys/class/tty/ttyS0/uevent", W_OK) == 0, "needs root to write /sys/class/tty/ttyS0/uevent"))
    func kernelSourceReceivesARealUevent() throws {
        let events = EventRecorder()
        let monitor = try DeviceMonitor(source: .kernel) { events.record($0) }
        defer { monitor.stop() }
        try "change".write(toFile: "/sys/class/tty/ttyS0/uevent", atomically: false, encoding: .utf8)
        var received: DeviceEvent?
        while let event = events.next(within: 5) {
            if event.device.devnode == "/dev/ttyS0" { received = event; break }
        }
        let event = try #require(received, "no uevent for ttyS0 on the kernel source")
        #expect(event.action == .other("change"))
        #expect(event.device.syspath.hasSuffix("/tty/ttyS0"))
    }
}
