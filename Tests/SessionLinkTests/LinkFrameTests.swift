import SessionLink
import Testing

@Suite struct LinkFrameTests {
    @Test func aPolicyFrameCarriesTheNumberThePolicyAndItsExploration() {
        let frame = LinkFrame.policy(number: 7, policy: [1, 2, 3], exploration: Array("{}".utf8))
        #expect(frame.encoded.prefix(4) == [0, 0, 0, UInt8(1 + 8 + 3 + 2)])
        let payload = frame.policyPayload
        #expect(payload?.number == 7 && payload?.policy == [1, 2, 3] && payload?.exploration == Array("{}".utf8))
    }

    @Test func addressesParseToUnixSocketsTCPOrNothing() throws {
        #expect(try LinkAddress.parse("socket", sessionFolder: "/s") == .unix(path: "/s/learner.sock"))
        #expect(try LinkAddress.parse("unix:/tmp/l.sock", sessionFolder: "/s") == .unix(path: "/tmp/l.sock"))
        #expect(try LinkAddress.parse("learner-pc.local:7733", sessionFolder: "/s") == .tcp(host: "learner-pc.local", port: 7733))
        #expect(try LinkAddress.parse("tcp:10.0.0.2:7733", sessionFolder: "/s") == .tcp(host: "10.0.0.2", port: 7733))
        #expect(try LinkAddress.parse("folder", sessionFolder: "/s") == nil)
        #expect(throws: LinkError.self) { try LinkAddress.parse("learner-pc", sessionFolder: "/s") }
        #expect(throws: LinkError.self) { try LinkAddress.parse(":7733", sessionFolder: "/s") }
    }
}
