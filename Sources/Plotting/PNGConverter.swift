import Foundation

/// SVG → PNG with `rsvg-convert` (Debian's librsvg2-bin). librsvg lays out text with Pango and
/// antialiases with cairo, which a hand-written rasteriser would have to redo to get readable
/// labels; running the tool keeps cairo out of furuta's link line.
public enum PNGConverter {
    public static func png(fromSVG svg: String, scale: Double = 1) throws(PlotError) -> Data {
        guard let tool = locate("rsvg-convert") else { throw .converterMissing("rsvg-convert") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["--format", "png", "--zoom", String(scale), "--background-color", "white"]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw .converterFailed(error.localizedDescription) }
        // Write on another thread so a large PNG cannot block the pipe both ways.
        let writer = Thread {
            try? input.fileHandleForWriting.write(contentsOf: Data(svg.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let png = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, png.starts(with: [0x89, 0x50, 0x4E, 0x47]) else {
            throw .converterFailed(message.isEmpty ? "exit status \(process.terminationStatus)" : message)
        }
        return png
    }

    static func locate(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return (path.split(separator: ":") + ["/usr/bin"]).map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
