import Foundation
import Testing
@testable import TensorBoard

@Suite struct EventFileWriterTests {
    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("tb-\(UUID())")
    }

    @Test func tensorBoardReadsBackEveryScalar() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try EventFileWriter(directory: dir)
        for step in 1...20 {
            try writer.write(scalars: [.init(tag: "train/loss", value: 1 / Float(step)),
                                       .init(tag: "eval/success_rate", value: Float(step) / 20)], step: Int64(step))
        }
        #expect(writer.url.lastPathComponent.hasPrefix("events.out.tfevents."))
        let read = try TensorBoardReader.scalars(in: dir)
        #expect(Set(read.keys) == ["train/loss", "eval/success_rate"])
        let loss = try #require(read["train/loss"])
        #expect(loss.map(\.step) == Array(1...20))
        for (i, point) in loss.enumerated() {
            #expect(Float(point.value) == 1 / Float(i + 1))
        }
    }

    /// A value seen once per run goes to the Text tab, which TensorBoard's text plugin lists.
    @Test func tensorBoardShowsATextInItsTextTab() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = try EventFileWriter(directory: dir)
        try writer.write(scalars: [.init(tag: "eval/success_rate", value: 1)], step: 7)
        try writer.write(texts: [.init(tag: "eval/confirmation_success_rate", text: "confirmed: 0.996 — ünïcode")], step: 7)
        let texts = try TensorBoardReader.texts(in: dir)
        #expect(Set(texts.keys) == ["eval/confirmation_success_rate"])
        let points = try #require(texts["eval/confirmation_success_rate"])
        #expect(points.map(\.step) == [7])
        #expect(points.map(\.text) == ["confirmed: 0.996 — ünïcode"])
        #expect(Set(try TensorBoardReader.scalars(in: dir).keys) == ["eval/success_rate"])
    }

    /// A resumed run rewrites the steps after its checkpoint; TensorBoard must show the new ones.
    @Test func aResumedFileReplacesPointsAfterTheRestart() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try EventFileWriter(directory: dir)
        for step in 1...10 { try first.write(scalars: [.init(tag: "x", value: 0)], step: Int64(step)) }
        let resumed = try EventFileWriter(directory: dir, resumingAt: 6)
        for step in 6...8 { try resumed.write(scalars: [.init(tag: "x", value: 1)], step: Int64(step)) }
        let x = try #require(try TensorBoardReader.scalars(in: dir)["x"])
        #expect(x.map(\.step) == Array(1...8))
        #expect(x.map(\.value) == Array(repeating: 0, count: 5) + Array(repeating: 1, count: 3))
    }

    @Test func anUnwritableFolderIsNamed() {
        #expect(throws: EventFileError.self) { try EventFileWriter(directory: URL(fileURLWithPath: "/proc/no-such/run")) }
    }
}
