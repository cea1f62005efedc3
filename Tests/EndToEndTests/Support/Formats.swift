import Foundation
import JSON
import TestSupport

/// Client requests and answer readers for the three formats, as an SDK would send and parse them.
enum ClientFormat: String, CaseIterable, Sendable {
    case openai, anthropic, gemini

    /// The endpoint path for a model request.
    func path(model: String, stream: Bool) -> String {
        switch self {
        case .openai: "/v1/chat/completions"
        case .anthropic: "/v1/messages"
        case .gemini: "/v1beta/models/\(model):" + (stream ? "streamGenerateContent?alt=sse" : "generateContent")
        }
    }

    /// A one-turn request saying `text`.
    func body(model: String, text: String, stream: Bool) -> String {
        switch self {
        case .openai:
            #"{"model":"\#(model)","stream":\#(stream),"messages":[{"role":"user","content":"\#(text)"}]}"#
        case .anthropic:
            #"{"model":"\#(model)","max_tokens":256,"stream":\#(stream),"messages":[{"role":"user","content":"\#(text)"}]}"#
        case .gemini:
            #"{"contents":[{"role":"user","parts":[{"text":"\#(text)"}]}]}"#
        }
    }

    /// The assistant text of an answer, and whether a streamed answer ended the way the format ends.
    func text(of response: FullResponse, stream: Bool) throws -> (text: String, endedProperly: Bool) {
        guard stream else { return (try completeText(JSONValue.parse(response.bodyBytes)), true) }
        let events = SSEParser.parse(response.body)
        var text = ""
        var ended = false
        for event in events {
            if self == .openai && event.data == "[DONE]" {
                ended = true
                continue
            }
            let json = try JSONValue.parse(event.data)
            switch self {
            case .openai:
                text += json["choices"]?[0]?["delta"]?["content"]?.string ?? ""
            case .anthropic:
                if event.event == "content_block_delta" { text += json["delta"]?["text"]?.string ?? "" }
                if event.event == "message_stop" { ended = true }
            case .gemini:
                for part in json["candidates"]?[0]?["content"]?["parts"]?.array ?? [] where part["thought"]?.bool != true {
                    text += part["text"]?.string ?? ""
                }
                if json["candidates"]?[0]?["finishReason"]?.string != nil { ended = true }
            }
        }
        return (text, ended)
    }

    private func completeText(_ json: JSONValue) -> String {
        switch self {
        case .openai:
            json["choices"]?[0]?["message"]?["content"]?.string ?? ""
        case .anthropic:
            (json["content"]?.array ?? []).compactMap { $0["type"]?.string == "text" ? $0["text"]?.string : nil }.joined()
        case .gemini:
            (json["candidates"]?[0]?["content"]?["parts"]?.array ?? []).compactMap { $0["text"]?.string }.joined()
        }
    }
}

/// The three mock providers, one per upstream format, each with one credential.
enum MockProviders {
    /// A model each upstream family serves.
    static let model: [ClientFormat: String] = [.openai: "gpt-4o", .anthropic: "claude-sonnet-4-5", .gemini: "gemini-2.5-pro"]

    static func provision(_ stack: Stack, credentialsPerProvider: Int = 1) throws {
        let base = "http://127.0.0.1:\(stack.mockPort)"
        try put(stack, "/v1/providers/mock-openai",
                #"{"type":"openai","base_url":"\#(base)/v1","models":["gpt-*"],"allow_private_network":true}"#)
        try put(stack, "/v1/providers/mock-anthropic",
                #"{"type":"anthropic","base_url":"\#(base)","models":["claude-*"],"allow_private_network":true}"#)
        try put(stack, "/v1/providers/mock-gemini",
                #"{"type":"gemini","base_url":"\#(base)","models":["gemini-*"],"allow_private_network":true}"#)
        for provider in ["openai", "anthropic", "gemini"] {
            for index in 1...credentialsPerProvider {
                try put(stack, "/v1/credentials/\(provider)-\(index)",
                        #"{"provider":"mock-\#(provider)","api_key":"key-\#(provider)-\#(index)","tier":\#(index - 1)}"#)
            }
        }
    }

    static func put(_ stack: Stack, _ path: String, _ body: String) throws {
        let response = try stack.admin("PUT", path, body)
        guard (200..<300).contains(response.status) else { throw StackError.provisioning("\(path): \(response.status) \(response.body)") }
    }
}
