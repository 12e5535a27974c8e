import Foundation

/// A progress line redrawn in place when `live` is asked for and `descriptor` is a terminal;
/// permanent lines scroll up. Otherwise only the permanent lines are written (a log gets one
/// line per evaluation, not thousands of redraws).
final class ProgressLine {
    private let live: Bool
    private let descriptor: Int32

    init(enabled: Bool, descriptor: Int32 = STDOUT_FILENO) {
        self.descriptor = descriptor
        live = enabled && isatty(descriptor) != 0
    }

    func update(_ text: String, permanent: Bool) {
        guard live || permanent else { return }
        fflush(nil)  // after anything print() buffered
        let prefix = live ? "\r\u{1B}[2K" : ""
        let bytes = Array((prefix + text + (permanent || !live ? "\n" : "")).utf8)
        bytes.withUnsafeBufferPointer { _ = write(descriptor, $0.baseAddress, $0.count) }
    }

    func finish() { if live { _ = write(descriptor, "\n", 1) } }
}
