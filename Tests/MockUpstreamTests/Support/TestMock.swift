import Foundation
import HTTPCore
@testable import MockUpstream
import TestSupport

/// A mock upstream on 127.0.0.1, port 0, with its own one-thread loop group.
final class TestMock: Sendable {
    let group: EventLoopGroup
    let mock: MockUpstream

    init(maxRecords: Int = 1000) async throws {
        group = try EventLoopGroup(threads: 1)
        var configuration = MockUpstream.Configuration(listen: ListenAddress(host: "127.0.0.1", port: 0))
        configuration.maxRecords = maxRecords
        configuration.now = { 1_700_000_000 }
        mock = MockUpstream(configuration: configuration)
        try await mock.start(on: group)
    }

    var port: UInt16 { mock.port }

    func stop() async {
        await mock.shutdown(drainTimeout: 0.2)
        group.shutdown()
    }

    // MARK: Requests in each API's shape

    func openAI(_ body: String, key: String? = "sk-test", extra: [String] = [], timeout: Double = 5) -> FullResponse {
        let auth = key.map { ["Authorization: Bearer \($0)"] } ?? []
        return send("/v1/chat/completions", auth + extra, body, timeout)
    }

    func anthropic(_ body: String, path: String = "/v1/messages", key: String? = "sk-ant-test", version: Bool = true,
                   extra: [String] = [], timeout: Double = 5) -> FullResponse {
        var headers = key.map { ["x-api-key: \($0)"] } ?? []
        if version { headers.append("anthropic-version: 2023-06-01") }
        return send(path, headers + extra, body, timeout)
    }

    func gemini(_ model: String, _ action: String, _ body: String, query: String = "", key: String? = "AIza-test",
                extra: [String] = [], timeout: Double = 5) -> FullResponse {
        let auth = key.map { ["x-goog-api-key: \($0)"] } ?? []
        return send("/v1beta/models/\(model):\(action)\(query)", auth + extra, body, timeout)
    }

    func send(_ path: String, _ headers: [String], _ body: String?, _ timeout: Double = 5, method: String = "POST") -> FullResponse {
        rawExchange(port: port, method: method, path: path, headers: headers, body: body, receiveTimeout: timeout)
            ?? FullResponse(status: 0, head: "", bodyBytes: [], complete: false, chunkSizes: [])
    }

    func get(_ path: String, _ headers: [String] = []) -> FullResponse { send(path, headers, nil, method: "GET") }

    /// Scripts a fault through the control endpoint; returns the response status.
    @discardableResult
    func script(_ json: String) -> Int { send("/_mock/faults", [], json).status }

    /// The request log as decoded JSON.
    func requests() -> [[String: Any]] { (decode(get("/_mock/requests").body) as? [[String: Any]]) ?? [] }
}

/// JSON text decoded with Foundation (nil when invalid).
func decode(_ text: String) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

/// JSON object text decoded (empty when invalid).
func object(_ text: String) -> [String: Any] { (decode(text) as? [String: Any]) ?? [:] }

/// Reads a nested value: `path(json, "choices", 0, "message", "content")`.
func path(_ value: Any?, _ keys: Any...) -> Any? {
    var current = value
    for key in keys {
        if let name = key as? String { current = (current as? [String: Any])?[name] }
        else if let index = key as? Int { current = (current as? [Any]).flatMap { index < $0.count ? $0[index] : nil } }
    }
    return current
}

func string(_ value: Any?, _ keys: Any...) -> String? {
    var current = value
    for key in keys { current = path(current, key) }
    return current as? String
}

func int(_ value: Any?, _ keys: Any...) -> Int? {
    var current = value
    for key in keys { current = path(current, key) }
    return (current as? NSNumber)?.intValue
}

/// A user-turn body for each API.
enum Bodies {
    static func openAI(_ text: String, model: String = "gpt-4o-mini", stream: Bool = false, extra: String = "") -> String {
        #"{"model":"\#(model)","stream":\#(stream),"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"\#(text)"}]\#(extra)}"#
    }

    static func anthropic(_ text: String, model: String = "claude-sonnet-4-5", stream: Bool = false, extra: String = "") -> String {
        #"{"model":"\#(model)","max_tokens":1024,"stream":\#(stream),"messages":[{"role":"user","content":[{"type":"text","text":"\#(text)"}]}]\#(extra)}"#
    }

    static func gemini(_ text: String, extra: String = "") -> String {
        #"{"contents":[{"role":"user","parts":[{"text":"\#(text)"}]}]\#(extra)}"#
    }

    static let weatherTool = #"{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}"#
}
