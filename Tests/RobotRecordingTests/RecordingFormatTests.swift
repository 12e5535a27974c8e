import Foundation
import RobotRecording
import Testing

/// The recording file: round trip, and every kind of damage reported as what it is.
struct RecordingFormatTests {
    static func sample() -> RobotRecording {
        var recording = RobotRecording(header: RecordingHeader(
            robotName: "furuta-desktop", robotIdentity: 0x0123_4567_89ab_cdef, armCountsPerRevolution: 4096,
            pendulumCountsPerRevolution: 8192, controlRateHz: 100, armZeroCounts: -12, pendulumZeroCounts: 8190,
            source: "capture", metadata: [.init("excitation", "chirp"), .init("note", "two\nlines")]))
        for k in 0..<50 {
            recording.samples.append(RecordingSample(
                tick: Int64(100 + k), hostTimeNanoseconds: Int64(k) * 10_000_000 + 123, deviceTimeMicroseconds: 5_000_000 + UInt64(k) * 10_001,
                armCounts: Int32(k * 3 - 12), pendulumCounts: 8190 + Int32(k % 7), action: 0.1 * sin(Double(k)),
                dutyCommanded: Double(k) / 3, dutyApplied: -Double(k) / 7))
        }
        return recording
    }

    @Test func encodedRecordingReadsBackBitIdentical() throws {
        let original = Self.sample()
        let decoded = try RobotRecording(decoding: original.encoded(), file: "r.rec")
        var expected = original
        expected.header.metadata[1].value = "two lines" // one line per value
        #expect(decoded == expected)
        #expect(decoded.header[metadata: "excitation"] == "chirp")
        #expect(abs(decoded.durationSeconds - 49 * 0.010001) < 1e-9)
    }

    @Test func anglesAreCountsFromTheZerosTimesTheResolution() throws {
        let recording = Self.sample()
        let s = recording.samples[10] // arm counts 18, zero −12 → 30 counts
        #expect(abs(recording.armAngle(s) - 30 * 2 * Double.pi / 4096) < 1e-15)
        #expect(abs(recording.pendulumAngle(s) - Double(10 % 7) * 2 * Double.pi / 8192) < 1e-15)
    }

    @Test func fileRoundTripsThroughDisk() throws {
        let path = NSTemporaryDirectory() + "furuta-\(UUID().uuidString).rec"
        defer { unlink(path) }
        try Self.sample().write(toFile: path)
        #expect(try RobotRecording(contentsOfFile: path) == RobotRecording(decoding: Self.sample().encoded(), file: path))
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test func fileCutAnywhereIsReportedTruncated() throws {
        let text = Self.sample().encoded()
        let bytes = Array(text.utf8)
        for cut in stride(from: 40, to: bytes.count - 1, by: 97) {
            let cutText = String(decoding: bytes[0..<cut], as: UTF8.self)
            #expect(throws: RecordingError.self) { try RobotRecording(decoding: cutText, file: "cut.rec") }
            do { _ = try RobotRecording(decoding: cutText, file: "cut.rec") } catch {
                guard case .truncated = error else { Issue.record("cut at \(cut): \(error)"); continue }
                #expect(error.description.contains("truncated"))
            }
        }
    }

    @Test func changedByteIsReportedAsChecksumMismatch() throws {
        var bytes = Array(Self.sample().encoded().utf8)
        let index = bytes.count / 2
        bytes[index] = bytes[index] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
        do {
            _ = try RobotRecording(decoding: String(decoding: bytes, as: UTF8.self), file: "bad.rec")
            Issue.record("a changed byte was accepted")
        } catch {
            guard case .checksumMismatch = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("corrupt"))
        }
    }

    @Test func trailerPromisingMoreRowsThanTheBodyHoldsIsCorrupt() throws {
        // A tool that rewrote the checksum over a body that lost a row: the row count catches it.
        var recording = Self.sample()
        recording.samples.removeLast()
        let shorter = recording.encoded()
        let trailerStart = shorter.range(of: "end: rows=49 ")!
        let lying = shorter.replacingCharacters(in: trailerStart, with: "end: rows=50 ")
        do {
            _ = try RobotRecording(decoding: lying, file: "short.rec")
            Issue.record("a missing row was accepted")
        } catch {
            guard case .corrupt = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("promises 50 rows"))
        }
    }

    @Test func otherFilesAreNotRecordings() {
        #expect(throws: RecordingError.notARecording(file: "x.yaml")) { try RobotRecording(decoding: "name: furuta\n", file: "x.yaml") }
        #expect(throws: RecordingError.self) { try RobotRecording(decoding: "furuta-recording 9\n", file: "v9.rec") }
        #expect(throws: RecordingError.self) { try RobotRecording(contentsOfFile: "/nonexistent/file.rec") }
    }
}
