import Foundation
import Testing

extension RealTimeSessions {
    /// `furuta-controller bench` as CI runs it (short). The figures it gates (p99 ratio ≤ 1.2,
    /// 0 allocations per tick, inference < 1 µs) are those of a release build; in this debug build
    /// the test checks that the benchmark runs end to end against the twin and reports them.
    struct LoopBenchmarkTests {
        @Test func benchRunsAgainstTheTwinSubprocessAndReportsItsFigures() throws {
            let binary = BuiltProducts.executable("furuta-controller")
            let result = try ChildProcess.run(binary, ["bench", "--seconds", "1", "--json", "--robot", ControllerFixtures.robotPath],
                                              timeout: .seconds(60))
            #expect(result.status == 0, "\(result.standardError)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            let bare = try #require(json["bare_jitter_us"] as? [String: Any])
            let controller = try #require(json["controller_jitter_us"] as? [String: Any])
            #expect((bare["count"] as? Int ?? 0) >= 900)
            #expect((controller["count"] as? Int ?? 0) >= 900)
            #expect(json["p99_ratio"] as? Double != nil)
            #expect(json["loop_thread_allocations"] as? Int != nil, "allocations must be counted (interposer preloaded)")
            let frames = try #require(json["frames"] as? [String: Any])
            #expect((frames["received"] as? Int ?? 0) >= 1800, "two frames per controller period")
        }
    }
}
