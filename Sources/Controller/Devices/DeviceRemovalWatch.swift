/// Tells the controller that the port it is using has been unplugged.
///
/// `isRemoved` is one atomic load: the control loop reads it every tick, without locks,
/// allocation or system calls, and triggers a safe stop when it turns true. `onRemoval`
/// (optional) runs once on the monitor thread, for code that prefers a callback.
public final class DeviceRemovalWatch: Sendable {
    /// The port being watched.
    public let device: SerialDeviceInfo
    private let removed: SetOnceFlag
    private let monitor: DeviceMonitor

    /// Starts watching `device`. If it is already gone (unplugged between discovery and this
    /// call) the flag is set before `init` returns.
    public init(
        device: SerialDeviceInfo,
        source: MonitorSource = .automatic(),
        onRemoval: (@Sendable (SerialDeviceInfo) -> Void)? = nil
    ) throws(DeviceDiscoveryError) {
        let removed = SetOnceFlag()
        self.device = device
        self.removed = removed
        self.monitor = try DeviceMonitor(source: source) { event in
            guard event.action == .removed, event.device.isSamePort(as: device) else { return }
            if removed.set() { onRemoval?(event.device) }
        }
        if !monitor.initialDevices.contains(where: { $0.isSamePort(as: device) }), removed.set() {
            onRemoval?(device)
        }
    }

    /// True once the port has been removed; stays true. Lock-free: safe on the control loop.
    public var isRemoved: Bool { removed.isSet }

    /// Stops the monitor thread; the flag keeps its value.
    public func stop() { monitor.stop() }
}
