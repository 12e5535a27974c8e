import Learning
import FirmwareLink
import Foundation
import Testing
import Simulation
@testable import Twin

/// The twin's link model: byte timing, USB frames, latency each way, order; and its real-time
/// device clock.
struct LinkModelTests {
    private func arrivals(_ line: inout DelayLine, upTo end: Int64) -> [(Int64, [UInt8])] {
        var out: [(Int64, [UInt8])] = []
        var t: Int64 = 0
        while t <= end {
            line.release(upTo: t) { out.append((t, $0)) }
            t += 1000 // 1 µs steps
        }
        return out
    }

    /// 10 bytes at 100 000 baud take 10·10/100 000 s = 1 ms; the next chunk waits for the line.
    @Test func bytesTakeTenBitTimesEachAndQueueBehindEachOther() {
        var line = DelayLine(model: LinkModel(baud: 100_000), latency: .none, seed: 1)
        line.push(Array(repeating: 1, count: 10), at: 0)
        line.push(Array(repeating: 2, count: 5), at: 200_000)
        let got = arrivals(&line, upTo: 3_000_000)
        #expect(got.map(\.0) == [1_000_000, 1_500_000])
    }

    /// With 1 ms USB frames, data is handed over only at frame boundaries.
    @Test func usbFramesRoundArrivalsUpToTheNextBoundary() {
        var line = DelayLine(model: LinkModel(usbFrame: .milliseconds(1)), latency: LatencyDistribution(base: .microseconds(300)), seed: 1)
        line.push([1], at: 100_000)   // ready at 0.4 ms → 1 ms
        line.push([2], at: 1_200_000) // ready at 1.5 ms → 2 ms
        let got = arrivals(&line, upTo: 3_000_000)
        #expect(got.map(\.0) == [1_000_000, 2_000_000])
    }

    /// Jitter stays within its bounds, and a later chunk never overtakes an earlier one.
    @Test func jitterIsBoundedAndNeverReorders() {
        var line = DelayLine(model: .ideal, latency: LatencyDistribution(base: .milliseconds(2), jitter: .milliseconds(3)), seed: 7)
        for k in 0..<200 { line.push([UInt8(k & 0xFF)], at: Int64(k) * 100_000) }
        let got = arrivals(&line, upTo: 30_000_000)
        #expect(got.count == 200)
        #expect(got.map { $0.1[0] } == (0..<200).map { UInt8($0 & 0xFF) })
        for (k, arrival) in got.enumerated() {
            let written = Int64(k) * 100_000
            #expect(arrival.0 >= written + 2_000_000)
        }
        // Each arrival is within base + jitter of its write, or held behind its predecessor.
        for k in 1..<got.count where got[k].0 > got[k - 1].0 {
            #expect(got[k].0 <= Int64(k) * 100_000 + 5_000_000 + 1000)
        }
    }

    @Test func spikesAddTheirLengthWithTheirProbability() {
        var random = SplitMix64Source.make(3)
        let d = LatencyDistribution(base: .zero, spikeProbability: 0.1, spike: .milliseconds(10))
        let draws = (0..<10_000).map { _ in d.sample(using: &random) }
        let spikes = draws.filter { $0 == 10_000_000 }.count
        #expect(draws.allSatisfy { $0 == 0 || $0 == 10_000_000 })
        #expect((800...1200).contains(spikes), "\(spikes) spikes in 10 000")
    }

    /// End to end over a real pty: a ping's round trip carries both directions' latency.
    @Test func roundTripOverThePtyCarriesBothDirectionsLatency() throws {
        var options = VirtualDevice.Options()
        options.link = LinkModel(hostToDevice: LatencyDistribution(base: .milliseconds(3)),
                                 deviceToHost: LatencyDistribution(base: .milliseconds(5)))
        let device = try VirtualDevice(plant: TestPlant(), options: options)
        device.start()
        defer { device.close() }
        let port = try SerialPort(path: device.slavePath, baud: nil)
        defer { port.close() }
        let link = DeviceLink(channel: port)
        try link.handshake(timeout: .seconds(2))
        var trips: [Double] = []
        for _ in 0..<10 {
            let start = ContinuousClock.now
            _ = try link.ping(timeout: .milliseconds(200))
            trips.append((ContinuousClock.now - start) / .milliseconds(1))
        }
        let median = trips.sorted()[5]
        #expect(trips.allSatisfy { $0 >= 8 }, "round trips \(trips) ms")
        #expect(median < 11, "round trips \(trips) ms")
    }

    /// The device clock runs on SCHED_FIFO when permitted (root here) or says why not, and counts
    /// its passes and deadline misses.
    @Test func deviceClockReportsItsSchedulingAndDeadlineMisses() throws {
        let device = try VirtualDevice(plant: TestPlant())
        device.start()
        defer { device.close() }
        Thread.sleep(forTimeInterval: 0.5)
        let s = device.snapshot
        #expect(s.passes > 1000, "passes \(s.passes) in 0.5 s at 4 kHz")
        #expect((s.fifoPriority == 70) != (s.realtimeWarning != nil))
        #expect(s.deadlineMisses <= s.passes)
        if getuid() == 0 { #expect(s.fifoPriority == 70, "\(s.realtimeWarning ?? "")") }
    }
}

/// SplitMix64 from Simulation, seeded, for drawing from a distribution in tests.
enum SplitMix64Source {
    static func make(_ seed: UInt64) -> SplitMix64 { SplitMix64(seed: seed) }
}
