import Foundation
import RobotDescription
import Testing
@testable import Trainer

/// The tuned robot.yaml keeps the original's layout and comments and marks what changed.
struct TunedDescriptionTests {
    @Test func changedValuesAreReplacedAndMarkedEverythingElseKept() throws {
        let path = SyntheticRecording.robotPath
        let original = try String(contentsOfFile: path, encoding: .utf8)
        let tuned = try TunedDescription.write(
            original: original,
            changes: [.init(key: "pendulum.mass_kg", value: 0.0216, previous: 0.024, uncertainty: 0.0002),
                      .init(key: "motor.friction.coulomb_nm", value: 0.0051, previous: 0.004, uncertainty: nil)],
            baseIdentities: [0x0123_4567_89ab_cdef], note: "test")
        let originalLines = original.components(separatedBy: "\n"), tunedLines = tuned.components(separatedBy: "\n")
        #expect(tunedLines.count == originalLines.count + 2) // the note and the identity line
        let changed = zip(originalLines, tunedLines.dropFirst(2)).filter { $0 != $1 }
        #expect(changed.count == 2)
        #expect(tuned.contains("  mass_kg: 0.0216"))
        #expect(tuned.contains("# sysid: fitted, was 0.024 (±0.0002)"))
        #expect(tuned.contains("coulomb_nm: 0.0051"))
        // The arm's mass_kg is untouched: keys are matched by their full path.
        #expect(tuned.contains("  mass_kg: 0.065"))
        let description = try RobotDescription.parse(tuned, file: path)
        #expect(description.parameters.pendulum.massKg == 0.0216)
        #expect(description.parameters.motor.friction.coulombNm == 0.0051)
        #expect(TunedDescription.baseIdentities(in: tuned) == [0x0123_4567_89ab_cdef])
    }

    @Test func unknownKeyIsAnError() throws {
        let original = try String(contentsOfFile: SyntheticRecording.robotPath, encoding: .utf8)
        #expect(throws: SystemIdentificationError.self) {
            try TunedDescription.write(original: original, changes: [.init(key: "pendulum.colour", value: 1, previous: 0, uncertainty: nil)],
                                       baseIdentities: [], note: "x")
        }
    }
}
