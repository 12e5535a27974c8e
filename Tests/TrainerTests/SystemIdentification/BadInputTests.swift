import Foundation
import MotorModel
import RobotDescription
import RobotRecording
import Testing
@testable import Trainer

/// Every bad input of `furuta sysid` gets an error that says what to do.
struct BadInputTests {
    static func recordingPath(recordedAs: RobotParameters? = nil) throws -> String {
        let description = try SyntheticRecording.description()
        return try SyntheticRecording.write(SyntheticRecording.make(truth: description.parameters,
                                                                     recordedAs: recordedAs ?? description.parameters,
                                                                     mjcfPath: description.mjcfPath, seconds: 2))
    }

    static func fitError(_ items: [String], paths: [String]? = nil) throws -> SystemIdentificationError? {
        let description = try SyntheticRecording.description()
        let recordings = try paths ?? [recordingPath()]
        var request = SystemIdentification.FitRequest(description: description, recordingPaths: recordings)
        request.parameterItems = items
        request.options.maxGenerations = 1
        do {
            _ = try SystemIdentification.fit(request)
            return nil
        } catch {
            return error
        }
    }

    @Test func recordingOfAnotherRobotIsRefused() throws {
        var other = try SyntheticRecording.description().parameters
        other.name = "someone-elses"
        other.pendulum.massKg = 0.05
        let path = try Self.recordingPath(recordedAs: other)
        defer { unlink(path) }
        let error = try #require(try Self.fitError(["pendulum.mass_kg"], paths: [path]))
        guard case .otherRobot = error else { Issue.record("\(error)"); return }
        #expect(error.description.contains("someone-elses") && error.description.contains("--robot"))
    }

    @Test func truncatedAndCorruptRecordingsAreRefused() throws {
        let path = try Self.recordingPath()
        defer { unlink(path) }
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path + ".cut"))
        defer { unlink(path + ".cut") }
        let cut = try #require(try Self.fitError(["pendulum.mass_kg"], paths: [path + ".cut"]))
        #expect(cut.description.contains("truncated"), "\(cut)")
        var flipped = bytes
        flipped[bytes.count / 3] ^= 0x01
        try flipped.write(to: URL(fileURLWithPath: path + ".bad"))
        defer { unlink(path + ".bad") }
        let corrupt = try #require(try Self.fitError(["pendulum.mass_kg"], paths: [path + ".bad"]))
        #expect(corrupt.description.contains("corrupt"), "\(corrupt)")
    }

    @Test func unknownParameterSuggestsTheNearestName() throws {
        let error = try #require(try Self.fitError(["pendulum.mas_kg"]))
        #expect(error.description.contains("unknown parameter 'pendulum.mas_kg'; did you mean 'pendulum.mass_kg'?"), "\(error)")
        let measured = try #require(try Self.fitError(["motor.gear_ratio"]))
        #expect(measured.description.contains("not fitted"), "\(measured)")
    }

    @Test func boundsExcludingTheNominalValueAreRefused() throws {
        let error = try #require(try Self.fitError(["motor.deadzone=0.07:0.1"]))
        guard case .boundsExcludeNominal = error else { Issue.record("\(error)"); return }
        #expect(error.description.contains("exclude its value 0.06"))
    }

    @Test func boundsTheSchemaRejectsAreRefusedWithTheSchemasReason() throws {
        let error = try #require(try Self.fitError(["motor.deadzone=-0.1:0.1"]))
        guard case .boundOutsideSchema = error else { Issue.record("\(error)"); return }
        #expect(error.description.contains("must be in [0, 1)"), "\(error)")
        #expect(try Self.fitError(["motor.deadzone=0.1:0.05"])?.description.contains("LOW < HIGH") == true)
    }

    @Test func defaultBoundsArePulledInToWhatTheSchemaAllows() throws {
        let description = try SyntheticRecording.description()
        let space = try ParameterSpace(items: ["motor.gear_gain_positive", "motor.friction.coulomb_nm", "motor.lag_time_constant_s"],
                                       description: description)
        // gear gain ≤ 1 (schema range), Coulomb ≤ static friction 0.006 (schema consistency), lag ≥ 0.
        #expect(abs(space.entries[0].bounds.upperBound - 1) < 1e-5)
        #expect(abs(space.entries[1].bounds.upperBound - 0.006) < 1e-7)
        #expect(space.entries[2].bounds.lowerBound >= 0 && space.entries[2].bounds.lowerBound < 1e-7)
        // The unit cube maps back and forth.
        for entry in space.entries {
            #expect(abs(entry.value(entry.coordinate(entry.nominal)) - entry.nominal) < 1e-12)
        }
    }
}
