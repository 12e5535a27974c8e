import Crypto

/// Mutual authentication of the link, a challenge–response both ways over the session secret k
/// (`SessionSecret`), before a single transition or policy crosses it:
///
///     learner → controller   hello    "FURUTA-LINK/1" ‖ n_L                 (n: 32 random bytes)
///     controller → learner   proof    n_C ‖ HMAC-SHA256(k, "controller" ‖ n_L ‖ n_C)
///     learner → controller   accepted HMAC-SHA256(k, "learner" ‖ n_C ‖ n_L)      or refused "why"
///
/// Each side proves it holds k for a challenge the other just chose (no replay), the role label
/// keeps one side's answer from serving as the other's, and the secret itself never crosses the
/// link. MACs are compared in constant time. The link is authenticated, not encrypted: on a
/// network others can read it (episodes and policies are not secret), not forge it.
public enum LinkHandshake {
    static let magic = Array("FURUTA-LINK/1".utf8)
    /// Frames before authentication are small; anything larger is not a peer of ours.
    static let maximumLength = 512

    static func nonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator() // getrandom(2)
        return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func mac(_ secret: SessionSecret, _ role: String, _ first: [UInt8], _ second: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(role.utf8) + first + second, using: secret.key))
    }

    static func valid(_ code: ArraySlice<UInt8>, _ secret: SessionSecret, _ role: String, _ first: [UInt8], _ second: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(Array(code), authenticating: Array(role.utf8) + first + second, using: secret.key)
    }

    /// The learner's side. Returns when the controller proved the secret; otherwise tells it why
    /// (`refused`) and throws.
    public static func accept(_ socket: LinkSocket, secret: SessionSecret, timeoutMilliseconds: Int32 = 5_000) throws(LinkError) {
        let ours = nonce()
        try socket.send(LinkFrame(.hello, magic + ours), timeoutMilliseconds: timeoutMilliseconds)
        guard let proof = try socket.receive(timeoutMilliseconds: timeoutMilliseconds, maximumLength: maximumLength) else {
            throw LinkError("\(socket.peer) sent no proof of the session secret within \(timeoutMilliseconds) ms")
        }
        guard proof.kind == .proof, proof.payload.count == 64 else {
            throw LinkError("\(socket.peer) does not speak the learner link (no proof of the session secret)")
        }
        let theirs = Array(proof.payload[0..<32])
        guard valid(proof.payload[32...], secret, "controller", ours, theirs) else {
            let why = "wrong secret: the controller's session secret differs from the learner's; "
                + "copy the learner's learner.secret into the controller's session folder (or pass the same --secret FILE to both)"
            try? socket.send(LinkFrame(.refused, Array(why.utf8)), timeoutMilliseconds: 500)
            throw LinkError("refused the controller at \(socket.peer): wrong secret (it does not hold this session's learner.secret)")
        }
        try socket.send(LinkFrame(.accepted, mac(secret, "learner", theirs, ours)), timeoutMilliseconds: timeoutMilliseconds)
    }

    /// The controller's side. Returns when the learner accepted it and proved the secret itself.
    public static func connect(_ socket: LinkSocket, secret: SessionSecret, timeoutMilliseconds: Int32 = 5_000) throws(LinkError) {
        guard let hello = try socket.receive(timeoutMilliseconds: timeoutMilliseconds, maximumLength: maximumLength) else {
            throw LinkError("\(socket.peer) said nothing within \(timeoutMilliseconds) ms: not a Furuta learner")
        }
        guard hello.kind == .hello, hello.payload.count == magic.count + 32, Array(hello.payload[0..<magic.count]) == magic else {
            throw LinkError("\(socket.peer) is not a Furuta learner (or another version of the link)")
        }
        let theirs = Array(hello.payload[magic.count...])
        let ours = nonce()
        try socket.send(LinkFrame(.proof, ours + mac(secret, "controller", theirs, ours)), timeoutMilliseconds: timeoutMilliseconds)
        let answer: LinkFrame?
        do { answer = try socket.receive(timeoutMilliseconds: timeoutMilliseconds, maximumLength: maximumLength) } catch {
            throw LinkError("the learner at \(socket.peer) closed the link during authentication (wrong secret?)")
        }
        guard let answer else { throw LinkError("the learner at \(socket.peer) did not answer the proof within \(timeoutMilliseconds) ms") }
        if answer.kind == .refused {
            throw LinkError("the learner at \(socket.peer) refused this controller: \(String(decoding: answer.payload, as: UTF8.self))")
        }
        guard answer.kind == .accepted, valid(answer.payload[...], secret, "learner", ours, theirs) else {
            throw LinkError("the learner at \(socket.peer) could not prove it holds the session secret: "
                            + "nothing is sent to it and no policy is taken from it (check that its learner.secret is this session's)")
        }
    }
}
