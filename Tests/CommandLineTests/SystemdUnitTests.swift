import Foundation
import Testing

/// tools/systemd/furuta-controller.service is a unit systemd accepts, and it grants what the
/// controller's loop needs (SCHED_FIFO, mlockall, the serial port) without setcap, bound to the
/// board's /dev/furuta.
@Suite struct SystemdUnitTests {
    static let unit = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tools/systemd/furuta-controller.service")

    @Test func systemdVerifiesTheUnitWithoutAWarning() throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        // verify checks that ExecStart's program exists: point it at the built binary.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("unit-\(UUID())")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        let file = copy.appendingPathComponent("furuta-controller.service")
        try text.replacingOccurrences(of: "/usr/local/bin/furuta-controller", with: BuiltBinaries.path("furuta-controller"))
            .write(to: file, atomically: true, encoding: .utf8)
        let analyze = try #require(["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "systemd-analyze is missing: scripts/install-deps.sh installs systemd")
        let result = try BuiltBinaries.run(executable: analyze, ["verify", "--man=no", file.path], timeoutSeconds: 60)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty, "systemd warns: \(result.stderr)")
    }

    @Test func theUnitGrantsRealTimeAndTheSerialPortAndFollowsTheBoard() throws {
        let lines = Set(try String(contentsOf: Self.unit, encoding: .utf8).split(separator: "\n").map(String.init))
        for line in ["AmbientCapabilities=CAP_SYS_NICE CAP_IPC_LOCK", "CapabilityBoundingSet=CAP_SYS_NICE CAP_IPC_LOCK",
                     "LimitRTPRIO=99", "LimitMEMLOCK=infinity", "SupplementaryGroups=dialout", "BindsTo=dev-furuta.device",
                     "KillSignal=SIGINT", "RestartPreventExitStatus=3", "NoNewPrivileges=yes"] {
            #expect(lines.contains(line), "\(line) missing")
        }
    }
}
