import Controller
import Foundation
import PolicyFormat
import Testing

/// Policies from the learner are checked before they may run; a rejected one never replaces
/// the policy that runs.
@Suite struct CandidatePolicyCheckTests {
    private func folderWithAcceptedFirstPolicy() throws -> (RobotTrainingSession, SessionFolder) {
        let robot = try ControllerFixtures.robot().parameters
        let folder = SessionFolder(path: ControllerFixtures.temporaryPath("session"))
        try folder.create()
        try SessionFolder.copyAtomically(ControllerFixtures.swingUpPolicyPath, to: folder.candidate(1))
        let session = RobotTrainingSession(settings: .init(port: .path("/nonexistent"), folder: folder), robot: robot)
        session.adoptNewestCandidate()
        #expect(session.state.currentPolicy == "candidate-000001.policy")
        return (session, folder)
    }

    @Test func theShippedPolicyPasses() throws {
        let robot = try ControllerFixtures.robot().parameters
        #expect(CandidatePolicyCheck.problems(path: ControllerFixtures.swingUpPolicyPath, robot: robot).isEmpty)
    }

    @Test func wrongRobotNaNOutputAndBadChecksumAreRejectedAndTheOldPolicyKeepsRunning() throws {
        let robot = try ControllerFixtures.robot().parameters
        let (session, folder) = try folderWithAcceptedFirstPolicy()
        let accepted = try Data(contentsOf: URL(fileURLWithPath: folder.latestPolicy))

        var otherRobot = try PolicyFile(contentsOfFile: ControllerFixtures.swingUpPolicyPath)
        otherRobot.robotIdentity ^= 0xFF
        try otherRobot.write(toFile: folder.candidate(2))
        try ControllerFixtures.nanPolicy(robot: robot).write(toFile: folder.candidate(3))
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: ControllerFixtures.swingUpPolicyPath)))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: folder.candidate(4)))

        #expect(CandidatePolicyCheck.problems(path: folder.candidate(2), robot: robot).first?.contains("robot identity") == true)
        #expect(CandidatePolicyCheck.problems(path: folder.candidate(3), robot: robot).first?.contains("non-finite") == true)
        #expect(CandidatePolicyCheck.problems(path: folder.candidate(4), robot: robot).first?.contains("cannot load") == true)

        session.adoptNewestCandidate()
        #expect(session.state.currentPolicy == "candidate-000001.policy")
        #expect(Set(session.state.rejectedPolicies) == ["candidate-000002.policy", "candidate-000003.policy", "candidate-000004.policy"])
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.latestPolicy)) == accepted)
        let incidents = try String(contentsOfFile: folder.incidentsPath, encoding: .utf8)
        #expect(incidents.contains("candidate-000003.policy rejected"))
    }

    @Test func aPartlyWrittenCandidateIsNotConsidered() throws {
        let (session, folder) = try folderWithAcceptedFirstPolicy()
        FileManager.default.createFile(atPath: folder.candidatesDirectory + "/.candidate-2.partial", contents: Data([1, 2, 3]))
        session.adoptNewestCandidate()
        #expect(session.state.currentPolicy == "candidate-000001.policy")
        #expect(session.state.rejectedPolicies.isEmpty)
    }
}
