import Testing
@testable import PolicyFormat

@Suite("Policy file encoding")
struct PolicyFileCodingTests {
    @Test func crc32MatchesTheStandardCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test(arguments: Activation.allCases)
    func writtenPolicyReadsBackEqual(activation: Activation) throws {
        let file = Fixture.policy(activation: activation, squash: activation == .relu ? .tanh : .clip)
        let bytes = try file.encoded()
        let decoded = try PolicyFile(decoding: bytes)
        #expect(decoded == file)
        #expect(decoded.hiddenWidths == [64, 64])
        #expect(Array(bytes.prefix(8)) == Array("FURUTAPL".utf8))
    }

    @Test func fileOnDiskRoundTripsAndReplacesAtomically() throws {
        let path = "/tmp/furuta-policy-test-\(UInt32.random(in: 0...UInt32.max)).policy"
        let first = Fixture.policy(seed: 1), second = Fixture.policy(seed: 2)
        try first.write(toFile: path)
        try second.write(toFile: path)
        #expect(try PolicyFile(contentsOfFile: path) == second)
        #expect(throws: PolicyFileError.self) { try PolicyFile(contentsOfFile: path + ".missing") }
    }

    @Test func everyTruncationIsRejectedAsTruncated() throws {
        let bytes = try Fixture.policy().encoded()
        for length in [0, 3, 8, 12, 19, 20, 100, bytes.count / 2, bytes.count - 1] {
            #expect(throws: PolicyFileError.self) { try PolicyFile(decoding: Array(bytes.prefix(length))) }
            do {
                _ = try PolicyFile(decoding: Array(bytes.prefix(length)))
            } catch {
                guard case .truncated(let expected, let actual) = error else {
                    Issue.record("length \(length): expected .truncated, got \(error)")
                    continue
                }
                #expect(actual == length)
                #expect(expected > length)
            }
        }
    }

    @Test func aFlippedByteIsRejectedByTheChecksum() throws {
        let file = Fixture.policy()
        let bytes = try file.encoded()
        let at = try #require(Fixture.offset(of: file.layers[1].weights[100], in: bytes))
        var corrupted = bytes
        corrupted[at + 1] ^= 0x10
        #expect(throws: PolicyFileError.self) { try PolicyFile(decoding: corrupted) }
        do { _ = try PolicyFile(decoding: corrupted) } catch {
            guard case .checksumMismatch(let stored, let computed) = error else {
                Issue.record("expected .checksumMismatch, got \(error)"); return
            }
            #expect(stored != computed)
            #expect(error.description.contains("corrupted"))
        }
        // Every single-bit flip anywhere is caught (sample every 7th byte).
        for i in stride(from: 0, to: bytes.count, by: 7) {
            var c = bytes
            c[i] ^= 0x01
            #expect(throws: PolicyFileError.self) { try PolicyFile(decoding: c) }
        }
    }

    @Test func anUnknownVersionIsRejectedBeforeTheChecksum() throws {
        var bytes = try Fixture.policy().encoded()
        bytes[8] = 9
        #expect(throws: PolicyFileError.unsupportedVersion(found: 9, supported: 2)) { try PolicyFile(decoding: bytes) }
        #expect(PolicyFileError.unsupportedVersion(found: 9, supported: 2).description.contains("re-export"))
    }

    @Test func aWrongMagicIsRejected() throws {
        var bytes = try Fixture.policy().encoded()
        bytes[0] = UInt8(ascii: "X")
        #expect(throws: PolicyFileError.badMagic) { try PolicyFile(decoding: bytes) }
        #expect(throws: PolicyFileError.badMagic) { try PolicyFile(decoding: Array("{\"json\": true}".utf8)) }
    }

    @Test func aNaNWeightWithAValidChecksumIsRejectedAsNonFinite() throws {
        let file = Fixture.policy()
        let bytes = try file.encoded()
        let at = try #require(Fixture.offset(of: file.layers[1].weights[100], in: bytes))
        var corrupted = bytes
        let nan = Float.nan.bitPattern
        for k in 0..<4 { corrupted[at + k] = UInt8(truncatingIfNeeded: nan >> (8 * UInt32(k))) }
        // Without resealing, the checksum catches it first.
        #expect(throws: PolicyFileError.self) { try PolicyFile(decoding: corrupted) }
        let resealed = Fixture.resealed(corrupted)
        do {
            _ = try PolicyFile(decoding: resealed)
            Issue.record("a NaN weight was accepted")
        } catch {
            guard case .nonFinite(let detail) = error else { Issue.record("expected .nonFinite, got \(error)"); return }
            #expect(detail.contains("layer 1 weight 100"))
        }
    }

    @Test func inconsistentShapesAreRefusedOnWriteAndOnRead() throws {
        var file = Fixture.policy()
        file.layers[1].biases.removeLast()
        #expect(throws: PolicyFileError.self) { try file.encoded() }
        var wrongInput = Fixture.policy()
        wrongInput.observationLayout.historyLength = 3
        do { _ = try wrongInput.encoded(); Issue.record("accepted a normaliser of the wrong size") } catch {
            guard case .shapeMismatch(let detail) = error else { Issue.record("expected .shapeMismatch, got \(error)"); return }
            #expect(detail.contains("normaliser"))
        }
        // On read: change the action count in the header's layout and reseal.
        let good = Fixture.policy()
        var bytes = try good.encoded()
        // body: identity 8, name 4+n, rate 8, featureCount 4 + features, history 4, then actionCount.
        let actionCountAt = 16 + 8 + 4 + good.robotName.utf8.count + 8 + 4 + good.observationLayout.features.count + 4
        #expect(bytes[actionCountAt] == 1)
        bytes[actionCountAt] = 2
        #expect(throws: PolicyFileError.self) { try PolicyFile(decoding: Fixture.resealed(bytes)) }
        do { _ = try PolicyFile(decoding: Fixture.resealed(bytes)) } catch {
            guard case .shapeMismatch = error else { Issue.record("expected .shapeMismatch, got \(error)"); return }
        }
    }

    @Test func trailingBytesAreRefused() throws {
        let bytes = try Fixture.policy().encoded() + [0]
        #expect(throws: PolicyFileError.self) { try PolicyFile(decoding: bytes) }
    }
}
