#if canImport(Glibc)
import Glibc
#endif
import FirmwareLink
import MonotonicTime
import MotorModel

/// One open session with the device: port opened raw (no DTR/RTS pulse, so the ESP32 does not
/// reset), handshake, encoder resolutions checked against robot.yaml, watchdog and duty limit
/// configured. `arm()` then sends `rearm` (clears latches, motor still 0).
public final class DeviceConnection {
    public let link: DeviceLink
    public let port: String
    public let info: DeviceInfo
    /// The udev device behind the port, when it is a USB port (for the removal watch).
    public let udevDevice: SerialDeviceInfo?
    /// The port's lock (flock, then TIOCEXCL); its descriptor carries the second-signal
    /// handler's emergency write.
    public let lock: PortLock

    /// Locks the port, opens and handshakes. Throws before anything is sent but `hello` if the
    /// port is in use, the device is not the pendulum's firmware, speaks another protocol, or has
    /// other encoders. `shouldStop` is asked at least every 100 ms during discovery and the
    /// handshake: a stop signal ends them at once (`.interrupted`). While discovery waits for a
    /// board to appear, `waiting` is told once a second how long it has waited.
    public init(selection: PortSelection, robot: RobotParameters, handshakeTimeout: Duration,
                baud: Int? = 921_600, shouldStop: () -> Bool = { false },
                waiting: (DiscoveryWait) -> Void = { _ in }) throws(ControllerError) {
        var device: SerialDeviceInfo?
        let path: String
        switch selection {
        case .path(let given):
            path = given
            device = Self.usbDevice(at: given)
        case .automatic(let matcher, let timeout):
            do {
                var wait = DiscoveryWait(matcher: matcher, timeout: timeout)
                let found = try DeviceDiscovery.waitForMatchingDevice(matcher: matcher, timeout: timeout,
                                                                      shouldStop: {
                    if wait.tick() { waiting(wait) }
                    return shouldStop()
                })
                device = found
                path = found.devnode
            } catch .interrupted {
                throw .interrupted(phase: "discovery", signals: 0)
            } catch {
                throw .discovery(error.description)
            }
        }
        port = path
        udevDevice = device
        lock = try PortLock(path: path)
        do {
            link = try DeviceLink(port: path, baud: baud)
        } catch {
            throw .link(error)
        }
        lock.makeExclusive() // other opens now fail with EBUSY; a refusal leaves the flock, which suffices
        info = try Self.handshake(link, timeout: handshakeTimeout, shouldStop: shouldStop)
        var mismatches: [String] = []
        if Int(info.armCountsPerRevolution) != robot.arm.encoderCountsPerRevolution {
            mismatches.append("arm encoder: the device counts \(info.armCountsPerRevolution)/rev, robot.yaml says \(robot.arm.encoderCountsPerRevolution)")
        }
        if Int(info.pendulumCountsPerRevolution) != robot.pendulum.encoderCountsPerRevolution {
            mismatches.append("pendulum encoder: the device counts \(info.pendulumCountsPerRevolution)/rev, robot.yaml says \(robot.pendulum.encoderCountsPerRevolution)")
        }
        if !mismatches.isEmpty { throw .deviceMismatch(port: path, mismatches: mismatches) }
    }

    deinit { close() }

    /// The handshake in slices of 100 ms (hello re-sent each time), asking `shouldStop` between.
    static func handshake(_ link: DeviceLink, timeout: Duration, shouldStop: () -> Bool) throws(ControllerError) -> DeviceInfo {
        let deadline = ContinuousClock.now + timeout
        while true {
            if shouldStop() { throw .interrupted(phase: "the handshake", signals: 0) }
            let left = deadline - ContinuousClock.now
            do {
                return try link.handshake(timeout: min(left, .milliseconds(100)), retryInterval: .milliseconds(100))
            } catch .timeout where ContinuousClock.now < deadline {
                continue
            } catch .timeout(let port, let waitingFor, _) {
                throw .link(.timeout(port: port, waitingFor: waitingFor, after: timeout))
            } catch {
                throw .link(error)
            }
        }
    }

    /// The link's round trip: `count` pings after the handshake, one at a time, before anything
    /// is armed (a ping moves nothing). A ping lost to corruption is left out; none answering
    /// throws, naming the port.
    public func measureLatency(pings count: Int = 32, timeout: Duration = .milliseconds(100)) throws(ControllerError) -> LinkLatency {
        var samples: [Double] = []
        samples.reserveCapacity(count)
        for index in 0..<count {
            let sent = MonotonicClock.nanoseconds()
            do {
                _ = try link.ping(token: 0x1A7E_0000 | UInt32(index & 0xFFFF), timeout: timeout)
                samples.append(Double(MonotonicClock.nanoseconds() - sent) * 1e-9)
            } catch .timeout {
                continue
            } catch {
                throw .link(error)
            }
        }
        guard !samples.isEmpty else {
            throw .link(.timeout(port: port, waitingFor: "pong (link latency measurement)", after: timeout * count))
        }
        return LinkLatency(samplesSeconds: samples)
    }

    /// Configures the firmware watchdog and duty limit, then arms (`rearm`). Returns the state
    /// the device answered the rearm with (motor 0, armed).
    /// Both are idempotent, so a request or reply lost to corruption is sent again, every
    /// 200 ms as `hello` is, up to `attempts` times, before the device counts as not arming. (At
    /// 1 % corrupt bytes each way a configure/ack pair is lost 12 % of the time: 5 attempts
    /// fail together with probability 0.12⁵ ≈ 3·10⁻⁵; 3 attempts failed in a row in a test.)
    @discardableResult
    public func arm(watchdogMilliseconds: UInt16, dutyLimit: Double, attempts: Int = 5,
                    timeout: Duration = .milliseconds(200)) throws(ControllerError) -> DeviceState {
        let configuration = Configuration(watchdogTimeoutMilliseconds: watchdogMilliseconds, dutyLimit: dutyLimit)
        var lastError: LinkError?
        for _ in 0..<attempts {
            do {
                _ = try link.configure(configuration, timeout: timeout)
                lastError = nil
                break
            } catch .timeout(let device, let what, let after) {
                lastError = .timeout(port: device, waitingFor: what, after: after)
            } catch {
                throw .deviceNotArming(port: port, detail: "configure (\(error))")
            }
        }
        if let lastError { throw .deviceNotArming(port: port, detail: "configure (\(lastError), \(attempts) attempts)") }
        for attempt in 1...attempts {
            do {
                return try link.rearm(timeout: timeout)
            } catch .timeout where attempt < attempts {
                continue
            } catch {
                throw .deviceNotArming(port: port, detail: "rearm (\(error), \(attempt) attempts)")
            }
        }
        throw .deviceNotArming(port: port, detail: "rearm")
    }

    /// Opens the second descriptor and arms the signal handler's emergency write with an e-stop
    /// command frame (motor 0, device disarmed and latched).
    public func armEmergencyStopOnSecondSignal() {
        guard lock.descriptor >= 0 else { return }
        let frame = FrameEncoder.bytes(of: Frame(sequence: 0xFFFF, message: .command(Command(duty: 0, flags: .emergencyStop))))
        StopSignals.armEmergencyFrame(descriptor: lock.descriptor, frame: frame)
    }

    /// Leaves the device disarmed: an e-stop command (motor 0, latched until the next `rearm`),
    /// and reads the state it answers with. Returns whether that state confirmed duty 0.
    @discardableResult
    public func disarm(timeout: Duration = .milliseconds(200)) -> Bool {
        guard let state = try? link.command(Command(duty: 0, flags: .emergencyStop), timeout: timeout) else { return false }
        return state.appliedDutyQ15 == 0
    }

    /// After the device reset: a new handshake (motor 0, disarmed), then a zero command whose
    /// state confirms it.
    public func confirmStopAfterReset(timeout: Duration = .milliseconds(500)) -> Bool {
        guard (try? link.handshake(timeout: timeout)) != nil else { return false }
        return disarm()
    }

    /// Releases the port: emergency write disarmed, link closed, TIOCNXCL, lock released.
    /// Idempotent.
    public func close() {
        StopSignals.armEmergencyFrame(descriptor: -1, frame: [])
        (link.channel as? SerialPort)?.close()
        lock.release()
    }

    /// The USB serial device whose node is `path` (symlinks resolved), if discovery sees one.
    static func usbDevice(at path: String) -> SerialDeviceInfo? {
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard realpath(path, &resolved) != nil else { return nil }
        let node = String(decoding: resolved.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (try? DeviceDiscovery.usbSerialDevices())?.first { $0.devnode == node }
    }
}
