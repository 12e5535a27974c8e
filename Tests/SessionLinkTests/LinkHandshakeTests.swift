import Foundation
import SessionLink
import Testing

/// Both ends of the link prove they hold the session secret over a real Unix-domain socket.
@Suite struct LinkHandshakeTests {
    /// The learner's side on a thread; returns its outcome (nil: accepted).
    static func learner(_ listener: LinkListener, _ secret: SessionSecret) -> () -> String? {
        LinkTestSupport.onThread { () -> String? in
            guard let socket = listener.accept(timeoutMilliseconds: 5_000) else { return "no connection" }
            do { try LinkHandshake.accept(socket, secret: secret); return nil } catch { return "\(error)" }
        }
    }

    @Test func theSameSecretOnBothSidesIsAcceptedBothWays() throws {
        let dir = try LinkTestSupport.directory()
        let secret = try LinkTestSupport.secret(in: dir)
        let address = LinkAddress.unix(path: dir + "/learner.sock")
        let listener = try LinkListener(address)
        let learnerOutcome = Self.learner(listener, secret)
        let socket = try LinkSocket.connect(address)
        try LinkHandshake.connect(socket, secret: try SessionSecret.load(dir + "/learner.secret"))
        #expect(learnerOutcome() == nil)
    }

    @Test func aControllerWithAnotherSecretIsRefusedWithAClearMessageOnBothSides() throws {
        let dir = try LinkTestSupport.directory()
        let learnerSecret = try LinkTestSupport.secret(in: dir)
        let otherSecret = try LinkTestSupport.secret(in: dir, name: "other.secret")
        let address = LinkAddress.unix(path: dir + "/learner.sock")
        let listener = try LinkListener(address)
        let learnerOutcome = Self.learner(listener, learnerSecret)
        let socket = try LinkSocket.connect(address)
        var controllerMessage = ""
        do { try LinkHandshake.connect(socket, secret: otherSecret) } catch { controllerMessage = "\(error)" }
        #expect(controllerMessage.contains("refused this controller: wrong secret"))
        #expect(controllerMessage.contains("learner.secret"))
        let learnerMessage = learnerOutcome() ?? ""
        #expect(learnerMessage.contains("refused the controller") && learnerMessage.contains("wrong secret"))
    }

    /// An impostor learner that does not know the secret cannot answer the controller's
    /// challenge: the controller refuses to talk to it (it would take its policies).
    @Test func aLearnerThatCannotProveTheSecretIsRefusedByTheController() throws {
        let dir = try LinkTestSupport.directory()
        let controllerSecret = try LinkTestSupport.secret(in: dir)
        let address = LinkAddress.unix(path: dir + "/learner.sock")
        let listener = try LinkListener(address)
        // The impostor speaks the protocol, swallows the controller's proof and answers
        // "accepted" with a MAC it could not compute.
        let impostor = LinkTestSupport.onThread { () -> Bool in
            guard let socket = listener.accept(timeoutMilliseconds: 5_000) else { return false }
            try? socket.send(LinkFrame(.hello, Array("FURUTA-LINK/1".utf8) + [UInt8](repeating: 7, count: 32)), timeoutMilliseconds: 1_000)
            _ = try? socket.receive(timeoutMilliseconds: 5_000)
            try? socket.send(LinkFrame(.accepted, [UInt8](repeating: 0, count: 32)), timeoutMilliseconds: 1_000)
            return true
        }
        let socket = try LinkSocket.connect(address)
        var message = ""
        do { try LinkHandshake.connect(socket, secret: controllerSecret) } catch { message = "\(error)" }
        #expect(impostor())
        #expect(message.contains("could not prove it holds the session secret"))
    }

    @Test func theSecretFileIsMadeOwnerOnlyAndOneOthersMayReadIsRefused() throws {
        let dir = try LinkTestSupport.directory()
        let path = dir + "/learner.secret"
        _ = try SessionSecret.loadOrCreate(path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.count == 65 && text.hasSuffix("\n"))
        // A second loadOrCreate keeps it.
        _ = try SessionSecret.loadOrCreate(path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        chmod(path, 0o644)
        #expect { try SessionSecret.load(path) } throws: { "\($0)".contains("chmod 600") }
    }
}

/// The form for a learner on another machine: TCP, here over the loopback interface.
@Suite struct LinkOverTCPTests {
    @Test func aControllerReachesALearnerListeningOnATCPPortAndTheyAuthenticate() throws {
        let dir = try LinkTestSupport.directory()
        let secret = try LinkTestSupport.secret(in: dir)
        let listener = try LinkListener(.tcp(host: "127.0.0.1", port: 0))
        let port = try #require(listener.boundPort)
        #expect(port > 0)
        let learner = LinkTestSupport.onThread { () -> String? in
            guard let socket = listener.accept(timeoutMilliseconds: 5_000) else { return "no connection" }
            do {
                try LinkHandshake.accept(socket, secret: secret)
                try socket.send(.episode(.want, 42), timeoutMilliseconds: 1_000)
                return nil
            } catch { return "\(error)" }
        }
        let address = try #require(try LinkAddress.parse("127.0.0.1:\(port)", sessionFolder: dir))
        let socket = try LinkSocket.connect(address)
        try LinkHandshake.connect(socket, secret: secret)
        #expect(learner() == nil)
        let frame = try #require(try socket.receive(timeoutMilliseconds: 5_000))
        #expect(frame.kind == .want && frame.episodePayload?.index == 42)
    }

    @Test func nobodyListeningIsReportedWithTheAddressAndWhatToCheck() throws {
        // A port that was just free: the listener is closed at the end of the scope.
        let port: UInt16
        do {
            let listener = try LinkListener(.tcp(host: "127.0.0.1", port: 0))
            port = try #require(listener.boundPort)
        }
        #expect { try LinkSocket.connect(.tcp(host: "127.0.0.1", port: port)) } throws: { error in
            "\(error)".contains("no learner listening at 127.0.0.1:\(port)")
        }
    }
}
