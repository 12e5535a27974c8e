import Foundation
import Testing

@Suite struct DeploymentBinaryTests {
    @Test func controllerDoesNotLinkMuJoCo() throws {
        let controller = BuiltBinaries.path("furuta-controller")
        #expect(FileManager.default.isExecutableFile(atPath: controller))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        process.arguments = [controller]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(text.contains("libc.so"), "ldd output looks wrong: \(text)")
        #expect(!text.lowercased().contains("mujoco"))
        // The offline tool, by contrast, does link it: the check can tell the difference.
        let furuta = Process()
        furuta.executableURL = URL(fileURLWithPath: "/usr/bin/ldd")
        furuta.arguments = [BuiltBinaries.path("furuta")]
        let furutaPipe = Pipe()
        furuta.standardOutput = furutaPipe
        try furuta.run()
        let furutaText = String(decoding: furutaPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        furuta.waitUntilExit()
        #expect(furutaText.contains("libmujoco"))
    }
}
