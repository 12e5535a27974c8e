import Foundation
import SessionLink
import Synchronization
import Testing

/// The learner's end over a real Unix-domain socket, with the test as the controller: episodes
/// streamed whole land in the learner's folder; a stream with rows missing, or episodes it never
/// saw, are asked for and arrive as files; policies come back.
@Suite struct LearnerEndpointTests {
    final class Lines: @unchecked Sendable {
        let lines = Mutex<[String]>([])
        func add(_ s: String) { lines.withLock { $0.append(s) } }
        var all: [String] { lines.withLock { $0 } }
    }

    static let header = "tick,phase\n"
    static func rows(_ n: Int) -> [String] { (0..<n).map { "\($0),running\n" } }

    /// An authenticated controller-side socket to a started endpoint.
    static func connected(_ dir: String) throws -> (LearnerEndpoint, LinkSocket, Lines) {
        let secret = try LinkTestSupport.secret(in: dir)
        let address = LinkAddress.unix(path: dir + "/learner.sock")
        let lines = Lines()
        let endpoint = LearnerEndpoint(listener: try LinkListener(address), secret: secret, episodesDirectory: dir + "/episodes",
                                       report: { lines.add($0) })
        endpoint.start()
        let socket = try LinkSocket.connect(address)
        try LinkHandshake.connect(socket, secret: secret)
        return (endpoint, socket, lines)
    }

    @Test func anEpisodeStreamedWholeIsWrittenToTheLearnersFolderAsTheControllerHasIt() throws {
        let dir = try LinkTestSupport.directory()
        let (endpoint, socket, lines) = try Self.connected(dir)
        defer { endpoint.stop() }
        let file = Self.header + Self.rows(50).joined()
        try socket.send(.episode(.episodeStart, 3, Array(Self.header.utf8)), timeoutMilliseconds: 1_000)
        for chunk in stride(from: 0, to: 50, by: 10) {
            try socket.send(.episode(.episodeRows, 3, Array(Self.rows(50)[chunk..<(chunk + 10)].joined().utf8)), timeoutMilliseconds: 1_000)
        }
        try socket.send(.episode(.episodeComplete, 3, EpisodeFiles.digest(Array(file.utf8))), timeoutMilliseconds: 1_000)
        let path = dir + "/episodes/episode-000003.csv"
        #expect(LinkTestSupport.eventually(within: 5) { FileManager.default.fileExists(atPath: path) })
        #expect(try String(contentsOfFile: path, encoding: .utf8) == file)
        #expect(lines.all.contains { $0.contains("episode 3 received as it ran") })
        #expect(endpoint.episodesReceived.load(ordering: .relaxed) == 1)
    }

    @Test func aStreamWithRowsMissingAndEpisodesNeverSeenAreAskedForAndArriveAsFiles() throws {
        let dir = try LinkTestSupport.directory()
        let (endpoint, socket, _) = try Self.connected(dir)
        defer { endpoint.stop() }
        // Episode 1 is already in the learner's folder; 2 and 4 are not.
        try "already\n".write(toFile: dir + "/episodes/episode-000001.csv", atomically: true, encoding: .utf8)
        try socket.send(.inventory([1, 2, 4]), timeoutMilliseconds: 1_000)
        // Episode 5 streamed with a batch dropped on the way.
        let file = Self.header + Self.rows(20).joined()
        try socket.send(.episode(.episodeStart, 5, Array(Self.header.utf8)), timeoutMilliseconds: 1_000)
        try socket.send(.episode(.episodeRows, 5, Array(Self.rows(20)[0..<10].joined().utf8)), timeoutMilliseconds: 1_000)
        try socket.send(.episode(.episodeComplete, 5, EpisodeFiles.digest(Array(file.utf8))), timeoutMilliseconds: 1_000)
        var wanted: [Int] = []
        while wanted.count < 3, let frame = try socket.receive(timeoutMilliseconds: 5_000) {
            if frame.kind == .want, let (index, _) = frame.episodePayload { wanted.append(index) }
        }
        #expect(wanted == [2, 4, 5])
        try socket.send(.episode(.episodeFile, 5, Array(file.utf8)), timeoutMilliseconds: 1_000)
        let path = dir + "/episodes/episode-000005.csv"
        #expect(LinkTestSupport.eventually(within: 5) { FileManager.default.fileExists(atPath: path) })
        #expect(try String(contentsOfFile: path, encoding: .utf8) == file)
        #expect(try String(contentsOfFile: dir + "/episodes/episode-000001.csv", encoding: .utf8) == "already\n")
    }

    @Test func theNewestPolicyGoesToAControllerAtConnectAndEachNewOneWhenPublished() throws {
        let dir = try LinkTestSupport.directory()
        let secret = try LinkTestSupport.secret(in: dir)
        let address = LinkAddress.unix(path: dir + "/learner.sock")
        let endpoint = LearnerEndpoint(listener: try LinkListener(address), secret: secret, episodesDirectory: dir + "/episodes", report: { _ in })
        defer { endpoint.stop() }
        endpoint.publish(number: 1, policy: [1, 1], exploration: Array("{\"sigma\": 0.2}".utf8))
        endpoint.start()
        let socket = try LinkSocket.connect(address)
        try LinkHandshake.connect(socket, secret: secret)
        let first = try #require(try socket.receive(timeoutMilliseconds: 5_000))
        #expect(first.policyPayload?.number == 1 && first.policyPayload?.policy == [1, 1])
        endpoint.publish(number: 2, policy: [2, 2, 2], exploration: [])
        let second = try #require(try socket.receive(timeoutMilliseconds: 5_000))
        #expect(second.policyPayload?.number == 2 && second.policyPayload?.policy == [2, 2, 2])
    }
}
