import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging

/// The web page and its WebSocket on 127.0.0.1 only:
///   GET /            the page (ViewPage.html)
///   GET /state.json  the newest frame and what it comes from
///   GET /hold?ms=N   answers after N ms (≤ 10 s): the page at /?hold=N loads it, so a headless
///                    browser that snapshots at the load event sees N ms of live frames first
///   WS  /stream      one JSON frame per message out (ViewFrame.json); control messages in
///                    ({"duty": x}, {"speed": x}, {"restart": true})
public struct ViewServer: Sendable {
    public let hub: FrameHub
    public let port: Int

    public init(hub: FrameHub, port: Int) {
        self.hub = hub
        self.port = port
    }

    /// Serves and runs `source` until SIGINT/SIGTERM; `onListening` gets the bound port.
    public func run(source: any FrameSource, onListening: @escaping @Sendable (Int) -> Void) async throws {
        let hub = self.hub
        let router = Router(context: BasicWebSocketRequestContext.self)
        router.get("/") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: ViewPage.html)))
        }
        router.get("/state.json") { _, _ in
            let frame = hub.latest.map { $0.json() } ?? "null"
            let description = hub.sourceDescription.replacingOccurrences(of: "\"", with: "'")
            let body = "{\"source\":\"\(description)\",\"frames_published\":\(hub.framesPublished),\"speed\":\(hub.controls.speed),\"frame\":\(frame)}"
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/hold") { request, _ in
            let ms = min(10_000, max(0, Int(request.uri.queryParameters.get("ms") ?? "") ?? 0))
            try await Task.sleep(for: .milliseconds(ms))
            return Response(status: .noContent)
        }
        router.ws("/stream") { inbound, outbound, _ in
            try await outbound.write(.text("{\"source\":\"\(hub.sourceDescription.replacingOccurrences(of: "\"", with: "'"))\"}"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 14) {
                        if case .text(let text) = message { hub.receive(text) }
                    }
                }
                group.addTask {
                    for await frame in hub.subscribe() { try await outbound.write(.text(frame)) }
                }
                // The browser went away (inbound ended) or writing failed: stop both.
                try await group.next()
                group.cancelAll()
            }
        }
        var logger = Logger(label: "furuta-view")
        logger.logLevel = .warning
        let app = Application(router: router, server: .http1WebSocketUpgrade(webSocketRouter: router),
                              configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "furuta-view"),
                              onServerRunning: { channel in onListening(channel.localAddress?.port ?? 0) },
                              logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask { try await source.run(into: hub) }
            // The server returns on SIGINT/SIGTERM; a failing source stops the view too.
            try await group.next()
            group.cancelAll()
        }
    }
}
