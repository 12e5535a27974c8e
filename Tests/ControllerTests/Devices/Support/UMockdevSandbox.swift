import Foundation
import Testing

/// Runs a test body inside a umockdev test bed.
///
/// libumockdev-preload must be in LD_PRELOAD from process start to redirect libudev's view of
/// /sys, /dev and netlink, so a test cannot switch it on for itself. Instead the test
/// relaunches this very test bundle under `umockdev-wrapper`, filtered to itself, with
/// `FURUTA_UMOCKDEV_CHILD=1`; in that child the same test finds itself inside the wrapper,
/// creates the test bed and runs its body. The parent passes exactly when the child did,
/// and reports the child's output when it did not. One test per child, so test beds
/// (which own $UMOCKDEV_DIR, a process-wide variable) never meet.
enum UMockdevSandbox {
    static let childMarker = "FURUTA_UMOCKDEV_CHILD"

    static var isChild: Bool { ProcessInfo.processInfo.environment[childMarker] == "1" }

    static func run(
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (UMockdevTestbed) throws -> Void
    ) throws {
        if isChild {
            let testbed = try UMockdevTestbed()
            try body(testbed)
            return
        }
        try relaunchUnderWrapper(sourceLocation: sourceLocation)
    }

    private static func relaunchUnderWrapper(sourceLocation: SourceLocation) throws {
        let wrapper = try #require(
            BuiltProducts.systemTool("umockdev-wrapper"),
            "umockdev-wrapper not found: apt-get install -y umockdev libumockdev0",
            sourceLocation: sourceLocation)
        let test = try #require(Test.current, sourceLocation: sourceLocation)
        // The filter is a regular expression over test ids ("Module.Suite/name()/File:line:col").
        // Suites may be nested ("Module.Outer/Suite/name()"): everything up to the function's name.
        let parts = test.id.description.split(separator: "/")
        let nameIndex = parts.firstIndex { $0.contains("(") } ?? min(1, parts.count - 1)
        let suiteAndName = parts[...nameIndex].joined(separator: "/")
        let filter = NSRegularExpression.escapedPattern(for: suiteAndName)

        var environment = ProcessInfo.processInfo.environment
        environment[childMarker] = "1"
        let result = try ChildProcess.run(
            wrapper,
            [BuiltProducts.testBundle, "--testing-library", "swift-testing", "--filter", filter],
            environment: environment,
            timeout: .seconds(60))

        let transcript = "\n--- child stdout ---\n\(result.standardOutput)\n--- child stderr ---\n\(result.standardError)"
        #expect(!result.timedOut, "the umockdev child did not finish within 60 s\(transcript)",
                sourceLocation: sourceLocation)
        #expect(result.status == 0, "the test failed inside umockdev-wrapper\(transcript)",
                sourceLocation: sourceLocation)
        // Guards against a filter that selected nothing, which swift-testing reports as success.
        // swift-testing writes its progress to stderr.
        #expect(result.standardError.contains("Test run with 1 test"), "the child did not run exactly this test\(transcript)",
                sourceLocation: sourceLocation)
    }
}
