import Foundation
import Plotting
import RegularFiles

/// A recorded run played back at the page's speed (× real time, changeable while it plays),
/// from the start again when it ends: a `furuta-controller run --log` CSV or a `furuta sim` CSV.
public struct ReplaySource: FrameSource {
    public let name: String
    let frames: [ViewFrame]
    /// The largest log replayed: an hour at 1 kHz of ~150-byte rows is ~540 MB; 1 GiB.
    static let maximumBytes = 1 << 30

    public init(url: URL) throws(PlotError) {
        // Capped and refused unless a regular file (a device, FIFO or folder is named, not read).
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(url.path, limit: Self.maximumBytes, what: "a furuta-controller --log or furuta sim CSV") } catch {
            throw .unreadable(url.path, error.reason)
        }
        let table = try CSVTable(text: String(decoding: bytes, as: UTF8.self), source: url.path)
        let source = url.path
        name = url.lastPathComponent
        let t = try table.require("time_s", in: source)
        let arm = try table.require("arm_angle_rad", in: source)
        let pendulum = try table.require("pendulum_angle_rad", in: source)
        let armVelocity = try table.require("arm_velocity_rad_s", in: source)
        let pendulumVelocity = try table.require("pendulum_velocity_rad_s", in: source)
        let isControllerLog = table.has("duty_applied")
        let duty = try table.require(isControllerLog ? "duty_applied" : "duty", in: source)
        let phase = table.texts("phase")
        // Periods without a state sample from the device carry no angles (the log writes 0).
        let sampled = table.has("has_sample") ? table.numbers("has_sample").map { $0 != 0 } : Array(repeating: true, count: t.count)
        frames = t.indices.filter { t[$0].isFinite && sampled[$0] }.map { i in
            ViewFrame(timeS: t[i], armAngleRad: arm[i], pendulumAngleRad: pendulum[i], armVelocityRadPerS: armVelocity[i],
                      pendulumVelocityRadPerS: pendulumVelocity[i], duty: duty[i],
                      mode: "replay" + (phase.indices.contains(i) ? " · " + phase[i] : ""))
        }
        guard frames.count >= 2 else { throw .noData(source) }
    }

    public var description: String {
        String(format: "replay of %@ (%.1f s, %d frames)", name, frames.last!.timeS - frames[0].timeS, frames.count)
    }

    public func run(into hub: FrameHub) async throws {
        let clock = ContinuousClock()
        let tick = Duration.milliseconds(10)
        while !Task.isCancelled {
            // Playback time advances by speed × wall time, re-read every tick.
            var played = frames[0].timeS
            var index = 0
            var restarts = hub.controls.restarts
            var last = clock.now
            while index < frames.count, !Task.isCancelled {
                let controls = hub.controls
                if controls.restarts != restarts { restarts = controls.restarts; break }
                // By the wall time that really passed, so a late wake-up does not slow the replay.
                let now = clock.now
                let wall = now - last
                last = now
                played += (Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18) * controls.speed
                while index + 1 < frames.count && frames[index + 1].timeS <= played { index += 1 }
                var frame = frames[index]
                frame.timeS = played
                hub.publish(frame)
                if index == frames.count - 1 { break }
                try await Task.sleep(for: tick, clock: clock)
            }
        }
    }
}
