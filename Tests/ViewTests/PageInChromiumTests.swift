import Foundation
import Testing
@testable import View

/// The page as a person would see it: headless Chromium (Debian's `chromium`) loads it against
/// a running source; the DOM it leaves says how many frames were drawn and how far the drawn
/// pendulum tip travelled, and a screenshot is a real PNG of the page.
@Suite(.serialized) struct PageInChromiumTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs headless Chromium on `url` with `arguments`, killing it after `seconds`.
    static func chromium(_ arguments: [String], url: String, seconds: Double = 60) throws -> String {
        let binary = try #require(chromium, "headless Chromium is needed: apt-get install chromium (scripts/install-deps.sh)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                             "--user-data-dir=\(profile.path)"] + arguments + [url]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let killer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: killer)
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer.cancel()
        return String(decoding: data, as: UTF8.self)
    }

    /// `chromium` on a thread of its own: blocking a thread of Swift's cooperative pool (two on
    /// this machine) would starve the server and the source the page is watching.
    static func chromiumOffPool(_ arguments: [String], url: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try chromium(arguments, url: url) }) }.start()
        }
    }

    static func attribute(_ name: String, in dom: String) -> Int? {
        guard let range = dom.range(of: "\(name)=\"") else { return nil }
        return Int(dom[range.upperBound...].prefix { $0.isNumber })
    }

    @Test func chromiumDrawsThePendulumMoving() async throws {
        let view = try await ViewHarness(source: SimulatedEpisodeSource(robot: ViewHarness.robot, policy: nil))
        view.hub.receive(#"{"duty": 0.8}"#) // as if → had been pressed eight times
        let url = view.url
        let dom = try await Self.chromiumOffPool(["--dump-dom"], url: url + "?hold=4000")
        await view.stop()
        let frames = try #require(Self.attribute("data-frames", in: dom), "no #view in the DOM: \(dom.prefix(300))")
        let span = try #require(Self.attribute("data-tip-span", in: dom))
        #expect(frames >= 20, "frames drawn: \(frames)")
        #expect(span >= 20, "the drawn pendulum tip moved \(span) px")
        #expect(dom.contains(#"id="mode">keyboard<"#))
    }

    @Test func aScreenshotOfAReplayIsAPicture() async throws {
        let csv = try ViewHarness.swingingTrajectory()
        defer { try? FileManager.default.removeItem(at: csv) }
        let view = try await ViewHarness(source: ReplaySource(url: csv))
        let png = FileManager.default.temporaryDirectory.appendingPathComponent("view-\(UUID()).png")
        defer { try? FileManager.default.removeItem(at: png) }
        let url = view.url
        _ = try await Self.chromiumOffPool(["--screenshot=\(png.path)", "--window-size=1220,700"], url: url + "?hold=2500")
        await view.stop()
        let bytes = [UInt8](try Data(contentsOf: png))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1220)
        #expect(bytes.count > 20_000, "a page with drawings, not a blank one: \(bytes.count) bytes")
    }
}
