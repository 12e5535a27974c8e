import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Watches tty hotplug on its own thread and calls `onEvent` for every tty uevent (add,
/// remove, and the rarer change/bind).
///
/// The monitor socket is enabled before the initial enumeration (`initialDevices`), so a port
/// that appears in between is reported by one or both, never lost. The thread blocks in poll()
/// on the monitor socket and a wake pipe: no timeout ticking, and `stop()` returns at once.
/// `onEvent` runs on the monitor thread; keep it short and never block it on the control loop.
public final class DeviceMonitor: Sendable {
    /// The netlink feed in use.
    public let source: MonitorSource
    /// The ttys present just after the monitor started listening, sorted by device node.
    public let initialDevices: [SerialDeviceInfo]

    private let wakePipe: WakePipe
    private let stopRequested: SetOnceFlag
    /// Signalled by the thread as its last act, so `stop()` can return only once callbacks end.
    private let finished = DispatchSemaphore(value: 0)
    /// The monitor thread, so `stop()` called from `onEvent` (or a release there) does not
    /// wait for its own thread to end.
    private let monitorThread = ThreadIdentity()

    public init(
        source: MonitorSource = .automatic(),
        onEvent: @escaping @Sendable (DeviceEvent) -> Void
    ) throws(DeviceDiscoveryError) {
        let context = try UdevContext()
        let monitor = try UdevMonitor(context: context, source: source)
        let present = try DeviceDiscovery.serialDevices(in: context)
        let wakePipe = try WakePipe()
        let stopRequested = SetOnceFlag()

        self.source = source
        self.initialDevices = present
        self.wakePipe = wakePipe
        self.stopRequested = stopRequested

        // From here on the libudev objects belong to the thread alone.
        let loop = MonitorLoop(
            monitor: monitor, known: present, wake: wakePipe, stopRequested: stopRequested, onEvent: onEvent)
        let finished = self.finished
        let monitorThread = self.monitorThread
        let started = DispatchSemaphore(value: 0)
        let thread = Thread {
            monitorThread.recordCurrent()
            started.signal()
            loop.run()
            finished.signal()
        }
        thread.name = "furuta.device-monitor"
        thread.start()
        started.wait()
    }

    /// Stops the thread and waits for it to end; no `onEvent` call runs after this returns.
    /// Idempotent. Called from inside `onEvent`, it only asks the thread to end after the
    /// current callback, since waiting there would wait for itself.
    public func stop() {
        guard stopRequested.set() else { return }
        wakePipe.wake()
        if !monitorThread.isCurrent { finished.wait() }
    }

    deinit { stop() }
}

/// The monitor thread's body and private state: the libudev monitor, and the last known
/// description of each present port, used to complete removal events.
private final class MonitorLoop: @unchecked Sendable {
    // @unchecked: handed from the creating thread to the monitor thread once, then touched
    // only there.
    private let monitor: UdevMonitor
    /// Held strongly: the pipe must outlive the poll() even if the `DeviceMonitor` is released
    /// on this thread (its deinit closes nothing the loop still uses).
    private let wake: WakePipe
    private let stopRequested: SetOnceFlag
    private let onEvent: @Sendable (DeviceEvent) -> Void
    private var known: [String: SerialDeviceInfo]

    init(monitor: UdevMonitor, known: [SerialDeviceInfo], wake: WakePipe, stopRequested: SetOnceFlag,
         onEvent: @escaping @Sendable (DeviceEvent) -> Void) {
        self.monitor = monitor
        self.wake = wake
        self.stopRequested = stopRequested
        self.onEvent = onEvent
        self.known = Dictionary(known.map { ($0.syspath, $0) }, uniquingKeysWith: { _, last in last })
    }

    func run() {
        while true {
            let outcome: PollOutcome
            do {
                outcome = try PollCalls.wait(monitor: monitor.fileDescriptor, wake: wake.readEnd, timeoutMilliseconds: -1)
            } catch {
                // poll() itself failing (EBADF, ENOMEM) leaves nothing to watch; ending the thread
                // is all that is left. Controllers relying on removal also watch the port itself.
                return
            }
            switch outcome {
            case .wakeRequested: return
            case .timedOut: continue
            case .readable: deliverQueuedEvents()
            }
        }
    }

    private func deliverQueuedEvents() {
        // A stop() from inside onEvent must end delivery even with events still queued.
        while !stopRequested.isSet, let (action, record) = monitor.receive() {
            guard let reported = SerialDeviceInfo(record: record) else { continue }
            let event = DeviceEvent(action: DeviceEvent.Action(udevAction: action), device: reported)
            onEvent(track(event))
        }
    }

    /// Remembers ports as they come and go; on removal, fills in what sysfs no longer says.
    private func track(_ event: DeviceEvent) -> DeviceEvent {
        switch event.action {
        case .added, .other:
            known[event.device.syspath] = event.device
            return event
        case .removed:
            guard let last = known.removeValue(forKey: event.device.syspath) else { return event }
            return DeviceEvent(action: .removed, device: last.completing(with: event.device))
        }
    }
}

/// Which thread the monitor runs on, recorded by that thread before it reports for duty.
private final class ThreadIdentity: Sendable {
    private let thread = Mutex<pthread_t?>(nil)

    func recordCurrent() { thread.withLock { $0 = pthread_self() } }

    var isCurrent: Bool {
        thread.withLock { recorded in recorded.map { pthread_equal($0, pthread_self()) != 0 } ?? false }
    }
}

extension SerialDeviceInfo {
    /// Keeps `self`'s fields where `newer` lost them (a removed device's sysfs is gone).
    func completing(with newer: SerialDeviceInfo) -> SerialDeviceInfo {
        SerialDeviceInfo(
            devnode: newer.devnode,
            syspath: newer.syspath,
            usbID: newer.usbID ?? usbID,
            serialNumber: newer.serialNumber ?? serialNumber,
            driver: newer.driver ?? driver,
            manufacturer: newer.manufacturer ?? manufacturer,
            product: newer.product ?? product,
            interfaceNumber: newer.interfaceNumber ?? interfaceNumber
        )
    }
}
