import Foundation
import Testing

/// `furuta sysid` and `furuta-controller capture` as a user meets them: errors that say what to type.
@Suite struct SysidCommandTests {
    @Test func unknownParameterNameSuggestsTheNearest() throws {
        let result = try BuiltBinaries.run("furuta", ["sysid", "fit", "--recording", "/nonexistent.rec", "--params", "motor.deadzon",
                                                      "--out", "/tmp/never.yaml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("did you mean 'motor.deadzone'?"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.yaml"))
    }

    @Test func missingRecordingIsNamed() throws {
        let result = try BuiltBinaries.run("furuta", ["sysid", "validate", "--robot", RobotDescriptionPaths.shipped,
                                                      "--recording", "/nonexistent.rec"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("cannot read recording /nonexistent.rec"), "\(result.stderr)")
    }

    @Test func captureThatWouldCrossTheSoftLimitsIsRefusedBeforeOpeningThePort() throws {
        let result = try BuiltBinaries.run("furuta-controller", ["capture", "--port", "/nonexistent/tty", "--excitation", "steps",
                                                                 "--amplitude", "1", "--duration", "10", "--out", "/tmp/never.rec"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("refused before moving"), "\(result.stderr)")
        #expect(result.stderr.contains("--amplitude"))
        #expect(!result.stderr.contains("nonexistent/tty"), "the port must not have been opened: \(result.stderr)")
    }

    @Test func unknownExcitationListsTheKnownOnes() throws {
        let result = try BuiltBinaries.run("furuta-controller", ["capture", "--port", "/dev/null", "--excitation", "sine",
                                                                 "--duration", "5", "--out", "/tmp/never.rec"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("chirp, prbs, steps, release"), "\(result.stderr)")
    }
}
