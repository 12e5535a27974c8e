import Foundation
import Testing
@testable import RegularFiles

@Suite struct RegularFileTests {
    func scratch(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("regular-\(UUID())-\(name)").path
    }

    @Test func readsARegularFileWhole() throws {
        let path = scratch("a.txt")
        defer { unlink(path) }
        try RegularFile.write("hello", to: path)
        #expect(try RegularFile.read(path, limit: 100) == Array("hello".utf8))
    }

    @Test func refusesDevicesDirectoriesAndFIFOsWithoutReading() throws {
        for (path, kind) in [("/dev/zero", "character device"), ("/tmp", "directory")] {
            let error = #expect(throws: RegularFileError.self) { try RegularFile.read(path, limit: 1 << 20) }
            #expect(error?.reason.contains(kind) == true, "\(String(describing: error))")
        }
        let fifo = scratch("fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        // A FIFO with no writer: a plain open would block forever; this must return at once.
        let error = #expect(throws: RegularFileError.self) { try RegularFile.read(fifo, limit: 1 << 20) }
        #expect(error?.reason.contains("FIFO") == true)
    }

    @Test func refusesFilesAboveTheLimit() throws {
        let path = scratch("big")
        defer { unlink(path) }
        try RegularFile.write([UInt8](repeating: 7, count: 1000), to: path)
        let error = #expect(throws: RegularFileError.self) { try RegularFile.read(path, limit: 999) }
        #expect(error?.reason.contains("at most 999 bytes") == true)
    }

    @Test func missingFilesAndDirectoriesAreNamed() {
        let error = #expect(throws: RegularFileError.self) { try RegularFile.read("/nonexistent/x.yaml", limit: 10) }
        #expect(error?.description == "/nonexistent/x.yaml: does not exist (nor does the directory /nonexistent)")
        let write = #expect(throws: RegularFileError.self) { try RegularFile.write("x", to: "/nonexistent/x.csv") }
        #expect(write?.reason.contains("the directory /nonexistent does not exist") == true)
    }

    @Test func neverReplacesWhatIsNotARegularFile() throws {
        // /dev/null is a device node: replacing it (as root) would break the machine.
        let error = #expect(throws: RegularFileError.self) { try RegularFile.write("{}", to: "/dev/null") }
        #expect(error?.reason.contains("character device") == true)
        let directory = scratch("dir")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        defer { rmdir(directory) }
        #expect(throws: RegularFileError.self) { try RegularFile.write("{}", to: directory) }
        let link = scratch("link")
        #expect(symlink("/etc/hostname", link) == 0)
        defer { unlink(link) }
        #expect(throws: RegularFileError.self) { try RegularFile.write("{}", to: link) }
        #expect(FileManager.default.fileExists(atPath: "/etc/hostname"))
    }

    @Test func replacesARegularFileAtomicallyAndLeavesNoTemporary() throws {
        let path = scratch("summary.json")
        defer { unlink(path) }
        try RegularFile.write("old", to: path)
        try RegularFile.write("new", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "new")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: RegularFile.directoryOf(path))
        #expect(!siblings.contains { $0.hasPrefix(URL(fileURLWithPath: path).lastPathComponent + ".tmp") })
    }
}
