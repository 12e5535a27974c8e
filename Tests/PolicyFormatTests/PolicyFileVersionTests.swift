import Testing
@testable import PolicyFormat

@Suite("Policy file versions")
struct PolicyFileVersionTests {
    @Test func trainedLatencyAndProvenanceRoundTrip() throws {
        var file = Fixture.policy()
        file.trainedLatency = TrainedLatency(minimumSeconds: 0, maximumSeconds: 0.008)
        file.provenance = PolicyProvenance(algorithm: "sac", configHash: "abc123", seed: 7, environmentSteps: 30_000,
                                           trainerCommit: "v0.2-3-gdeadbee", other: ["rehearsal": "p.rehearsal.json"])
        let decoded = try PolicyFile(decoding: try file.encoded())
        #expect(decoded == file)
        #expect(decoded.provenance.other["rehearsal"] == "p.rehearsal.json")
        #expect(decoded.trainedLatency?.contains(0.004) == true)
        #expect(decoded.trainedLatency?.contains(0.009) == false)
    }

    @Test func aVersion1FileStillReadsWithoutLatencyOrProvenance() throws {
        let file = Fixture.policy()
        let v1 = try Self.version1Bytes(of: file)
        let decoded = try PolicyFile(decoding: v1)
        #expect(decoded == file)
        #expect(decoded.trainedLatency == nil)
        #expect(decoded.provenance.isEmpty)
    }

    @Test func anInvertedLatencyRangeIsNeverWritten() {
        var file = Fixture.policy()
        file.trainedLatency = TrainedLatency(minimumSeconds: 0.01, maximumSeconds: 0.001)
        #expect(throws: PolicyFileError.self) { try file.encoded() }
    }

    /// Version 1 is version 2 without the trailing presence byte and provenance count.
    static func version1Bytes(of file: PolicyFile) throws -> [UInt8] {
        precondition(file.trainedLatency == nil && file.provenance.isEmpty)
        var bytes = try file.encoded()
        bytes.removeLast(4 + 5)  // CRC, presence byte, pair count
        bytes[8] = 1; bytes[9] = 0
        let bodyLength = UInt32(bytes.count - 16)
        for k in 0..<4 { bytes[12 + k] = UInt8(truncatingIfNeeded: bodyLength >> (8 * UInt32(k))) }
        let crc = CRC32.checksum(bytes)
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k)))) }
        return bytes
    }
}
