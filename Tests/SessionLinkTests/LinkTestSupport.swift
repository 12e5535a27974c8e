import Foundation
import SessionLink

enum LinkTestSupport {
    /// A fresh directory with a short path (Unix socket paths are limited to 107 bytes).
    static func directory() throws -> String {
        let path = "/tmp/fl-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: path + "/episodes", withIntermediateDirectories: true)
        return path
    }

    static func secret(in directory: String, name: String = "learner.secret") throws -> SessionSecret {
        try SessionSecret.loadOrCreate(directory + "/" + name)
    }

    /// Runs `body` on a thread of its own and returns a way to wait for its result.
    static func onThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> () -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Thread { box.value = body(); done.signal() }.start()
        return { done.wait(); return box.value! }
    }

    final class Box<T>: @unchecked Sendable { var value: T? }

    /// Polls `condition` every 20 ms up to `seconds`.
    static func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.02)
        }
        return condition()
    }
}
