/// Where the learner listens, as `furuta learn --listen` and `furuta-controller session
/// --learner` spell it (docs/sessions.md "How the two processes talk"):
///
///     socket              DIR/learner.sock, a Unix-domain socket in the session folder (default)
///     unix:PATH           a Unix-domain socket elsewhere (the path must fit 107 bytes)
///     HOST:PORT           TCP, for a learner on another machine (`--listen 0.0.0.0:7733` on the
///                         learner, `--learner learner-pc.local:7733` on the controller; IPv4
///                         or a host name; `tcp:HOST:PORT` works too)
///
/// and `folder` for no socket at all (the session folder is then the only transport).
public enum LinkAddress: Sendable, Equatable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: UInt16)

    /// The address `text` names for the session folder `folder`; nil for `folder`.
    public static func parse(_ text: String, sessionFolder folder: String) throws(LinkError) -> LinkAddress? {
        if text == "folder" { return nil }
        if text == "socket" { return .unix(path: defaultSocketPath(sessionFolder: folder)) }
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst("unix:".count))
            guard !path.isEmpty else { throw LinkError("'unix:' needs a path, e.g. unix:/tmp/furuta-learner.sock") }
            return .unix(path: path)
        }
        let rest = text.hasPrefix("tcp:") ? String(text.dropFirst("tcp:".count)) : text
        guard let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]), port > 0 else {
            throw LinkError("'\(text)' is not a learner address: use socket (DIR/learner.sock), unix:PATH, HOST:PORT or folder")
        }
        let host = String(rest[..<colon])
        guard !host.isEmpty else { throw LinkError("'\(text)' has no host: use e.g. 0.0.0.0:\(port) to listen, learner-pc:\(port) to connect") }
        return .tcp(host: host, port: port)
    }

    public static func defaultSocketPath(sessionFolder folder: String) -> String { folder + "/learner.sock" }

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "\(host):\(port)"
        }
    }
}
