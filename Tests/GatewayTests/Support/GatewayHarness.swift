import Foundation
import HTTPCore
import Logging
import Store
import Synchronization
import TestSupport
import UpstreamHTTP
@testable import Router

/// A scripted upstream on 127.0.0.1: each request is answered by `script`, and recorded.
final class ScriptedUpstream: Sendable {
    /// One request as the upstream saw it.
    struct Seen: Sendable {
        let path: String
        let key: String
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// The requests seen so far, shared with the server's handler.
    final class Log: Sendable {
        let entries = Mutex<[Seen]>([])
    }

    let group: EventLoopGroup
    let server: HTTPServer
    private let log = Log()

    init(_ script: @escaping @Sendable (HTTPRequest, _ key: String) async throws -> HTTPResponse) async throws {
        group = try EventLoopGroup(threads: 1)
        let log = self.log
        server = HTTPServer(configuration: ServerConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0)), group: group) { request in
            let key = request.headers["x-api-key"] ?? request.headers["x-goog-api-key"]
                ?? request.headers["authorization"].map { String($0.dropFirst("Bearer ".count)) } ?? ""
            log.entries.withLock { $0.append(Seen(path: request.path, key: key, body: request.body)) }
            do { return try await script(request, key) } catch { return .json(500, Array(#"{"error":"script"}"#.utf8)) }
        }
        try await server.start()
    }

    var seen: [Seen] { log.entries.withLock { $0 } }
    var baseURL: String { "http://127.0.0.1:\(server.port)" }

    func stop() async {
        await server.shutdown(drainTimeout: 0.2)
        group.shutdown()
    }
}

/// A gateway on 127.0.0.1 over a temporary store, provisioned directly through the Store.
final class GatewayHarness: Sendable {
    let directory: URL
    let store: Store
    let registry: RoutingRegistry
    let group: EventLoopGroup
    let server: HTTPServer
    let clientKey: String
    /// Every log line the gateway wrote.
    let logs = MemorySink()

    init(provision: (Store) async throws -> Void) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        store = try await Store.open(path: directory.appendingPathComponent("db").path,
                                     keyring: Keyring(current: try MasterKey(bytes: Array(repeating: 5, count: 32))), now: Date())
        try await provision(store)
        let (_, secret) = try await store.createClientKey(id: "k1", name: "tests", models: [], enabled: true, now: Date())
        clientKey = secret.reveal()
        registry = RoutingRegistry()
        let client = try UpstreamClient()
        let gateway = Gateway(store: store, registry: registry, client: client, refresher: OAuthRefresher(store: store, client: client),
                              observer: RequestObserver(logger: Logger(level: .debug, sink: logs), usage: nil))
        group = try EventLoopGroup(threads: 2)
        server = HTTPServer(configuration: ServerConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0)), group: group,
                            handler: gateway.routes().handler(renderingErrorsWith: gateway.renderError),
                            errorRenderer: gateway.renderError)
        try await server.start()
    }

    var port: UInt16 { server.port }

    /// The request log lines once there are `count` of them (or 5 s passed): each is written
    /// just after its response went out, so a test holding the response can be a moment ahead.
    func requestLog(lines count: Int) async -> [Substring] {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let lines = logs.text.split(separator: "\n").filter { $0.contains(#""event":"request""#) }
            if lines.count >= count || ContinuousClock.now > deadline { return lines }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Sends one request with the client key in the SDK's usual place and reads the whole answer.
    func send(_ path: String, method: String = "POST", body: String = "", keyHeader: String = "Authorization",
              extraHeaders: String = "") -> (status: Int, head: String, body: String) {
        guard let client = try? RawClient(port: port, receiveTimeout: 10) else { return (0, "", "") }
        let key = keyHeader == "Authorization" ? "Bearer \(clientKey)" : clientKey
        client.send("\(method) \(path) HTTP/1.1\r\nHost: t\r\n\(keyHeader): \(key)\r\nContent-Type: application/json\r\n"
                    + "Content-Length: \(body.utf8.count)\r\n\(extraHeaders)Connection: close\r\n\r\n\(body)")
        let (text, _) = client.readToEnd()
        guard let split = text.range(of: "\r\n\r\n") else { return (0, text, "") }
        let head = String(text[..<split.lowerBound])
        let status = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        var rest = String(text[split.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { rest = Chunked.decode(rest) }
        return (status, head, rest)
    }

    func stop() async {
        await server.shutdown(drainTimeout: 0.2)
        group.shutdown()
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Decodes a chunked body held in a string (test helper; trusts its input).
enum Chunked {
    static func decode(_ text: String) -> String {
        var bytes = Array(text.utf8)[...]
        var out: [UInt8] = []
        while let lineEnd = bytes.firstRange(of: [13, 10]) {
            let size = Int(String(decoding: bytes[bytes.startIndex..<lineEnd.lowerBound], as: UTF8.self)
                .split(separator: ";").first ?? "", radix: 16) ?? 0
            if size == 0 { break }
            let start = lineEnd.upperBound
            guard bytes.distance(from: start, to: bytes.endIndex) >= size + 2 else { break }
            out += bytes[start..<bytes.index(start, offsetBy: size)]
            bytes = bytes[bytes.index(start, offsetBy: size + 2)...]
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Canned upstream answers in each provider's format.
enum Canned {
    static func openAI(_ text: String = "hello from openai", model: String = "gpt-test") -> HTTPResponse {
        .json(200, Array(#"{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"\#(model)","choices":[{"index":0,"message":{"role":"assistant","content":"\#(text)"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"#.utf8))
    }

    /// `done`: the stream ends with its finish reason (else it is cut after the pieces);
    /// `doneMarker`: then `data: [DONE]`, which some OpenAI-compatible servers never send.
    static func openAIStream(_ pieces: [String], model: String = "gpt-test", done: Bool = true, doneMarker: Bool = true) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "text/event-stream"], body: .stream { writer in
            try await writer.write(#"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"# + "\n\n")
            for piece in pieces {
                try await writer.write(#"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[{"index":0,"delta":{"content":"\#(piece)"},"finish_reason":null}]}"# + "\n\n")
            }
            guard done else { return }
            try await writer.write(#"data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"\#(model)","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n" + (doneMarker ? "data: [DONE]\n\n" : ""))
        })
    }

    static func error(_ status: Int, type: String = "rate_limit_error", headers: HTTPHeaders = [:]) -> HTTPResponse {
        .json(status, Array(#"{"error":{"message":"scripted failure","type":"\#(type)","code":null}}"#.utf8), headers: headers)
    }
}
