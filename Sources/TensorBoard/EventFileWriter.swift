import Foundation

/// An append-only TensorBoard event file in a directory, named as TensorFlow names them
/// (`events.out.tfevents.<unix seconds>.<host>.<pid>.<n>`), so `tensorboard --logdir` finds it.
/// Every event is written through at once: a crash loses nothing already logged.
public final class EventFileWriter {
    public let url: URL
    private let handle: FileHandle
    private nonisolated(unsafe) static var filesOpened = 0
    private static let counterLock = NSLock()

    /// Opens a new event file in `directory` (created if missing); `resumingAt` writes a session
    /// start at that step, which makes TensorBoard discard older points at or after it.
    public init(directory: URL, resumingAt step: Int64? = nil) throws(EventFileError) {
        let now = Date().timeIntervalSince1970
        Self.counterLock.lock()
        let n = Self.filesOpened
        Self.filesOpened += 1
        Self.counterLock.unlock()
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "localhost"
        let name = "events.out.tfevents.\(Int(now)).\(host).\(ProcessInfo.processInfo.processIdentifier).\(n)"
        url = directory.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw EventFileError.cannotCreate(url.path, "permission denied or no such directory")
            }
            handle = try FileHandle(forWritingTo: url)
        } catch let error as EventFileError {
            throw error
        } catch {
            throw EventFileError.cannotCreate(url.path, error.localizedDescription)
        }
        try write(Event(wallTime: now, step: 0, content: .fileVersion("brain.Event:2")))
        if let step { try write(Event(wallTime: now, step: step, content: .sessionStart)) }
    }

    deinit { try? handle.close() }

    public func write(_ event: Event) throws(EventFileError) {
        do {
            try handle.write(contentsOf: TFRecord.frame(event.encoded()))
        } catch {
            throw EventFileError.cannotWrite(url.path, error.localizedDescription)
        }
    }

    /// Scalars logged at `step`, stamped with the current wall time.
    public func write(scalars: [Event.Scalar], step: Int64) throws(EventFileError) {
        guard !scalars.isEmpty else { return }
        try write(Event(wallTime: Date().timeIntervalSince1970, step: step, content: .scalars(scalars)))
    }

    /// Texts logged at `step`, stamped with the current wall time.
    public func write(texts: [Event.Text], step: Int64) throws(EventFileError) {
        guard !texts.isEmpty else { return }
        try write(Event(wallTime: Date().timeIntervalSince1970, step: step, content: .texts(texts)))
    }
}

public enum EventFileError: Error, CustomStringConvertible, Equatable {
    case cannotCreate(String, String)
    case cannotWrite(String, String)

    public var description: String {
        switch self {
        case .cannotCreate(let path, let why): return "cannot create the TensorBoard event file \(path): \(why); check the run folder is writable"
        case .cannotWrite(let path, let why): return "cannot write to the TensorBoard event file \(path): \(why); is the disk full?"
        }
    }
}
