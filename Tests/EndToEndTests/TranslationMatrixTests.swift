import Foundation
import JSON
import TestSupport
import Testing

/// Every client format against every upstream format, streaming and not, through real
/// `switchyard` and `switchyard-mock` processes.
@Suite(.serialized) struct TranslationMatrixTests {
    @Test func everyClientFormatReachesEveryUpstreamFormat() async throws {
        let stack = try await Stack { try MockProviders.provision($0) }
        defer { stack.stop() }
        var failures: [String] = []
        for client in ClientFormat.allCases {
            for upstream in ClientFormat.allCases {
                for stream in [false, true] {
                    let model = MockProviders.model[upstream]!
                    let response = try stack.gateway(client.path(model: model, stream: stream),
                                                     client.body(model: model, text: "hello there", stream: stream),
                                                     format: client.rawValue)
                    let label = "\(client) → \(upstream) stream=\(stream)"
                    guard response.status == 200 else {
                        failures.append("\(label): HTTP \(response.status) \(response.body.prefix(300))")
                        continue
                    }
                    let (text, ended) = try client.text(of: response, stream: stream)
                    if !text.contains("mock reply to: hello there") { failures.append("\(label): text \(text.debugDescription)") }
                    if !ended { failures.append("\(label): stream did not end properly") }
                    if stream && !response.complete { failures.append("\(label): chunked body not terminated") }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        // Every request reached the upstream of its model's family with that family's key.
        let keys = try stack.upstreamKeys()
        #expect(keys.count == 18)
        #expect(Set(keys) == ["key-openai-1", "key-anthropic-1", "key-gemini-1"])
    }

    @Test func countTokensAndModelListsWorkInEachFormat() async throws {
        let stack = try await Stack { try MockProviders.provision($0) }
        defer { stack.stop() }
        let anthropic = try stack.gateway("/v1/messages/count_tokens",
                                          #"{"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"count me"}]}"#,
                                          format: "anthropic")
        #expect(anthropic.status == 200)
        #expect(try JSONValue.parse(anthropic.bodyBytes)["input_tokens"]?.int ?? 0 > 0)
        let gemini = try stack.gateway("/v1beta/models/gemini-2.5-pro:countTokens",
                                       #"{"contents":[{"parts":[{"text":"count me"}]}]}"#, format: "gemini")
        #expect(gemini.status == 200)
        #expect(try JSONValue.parse(gemini.bodyBytes)["totalTokens"]?.int ?? 0 > 0)
        // An OpenAI upstream has no count endpoint: a local estimate, no upstream call.
        let before = try stack.upstreamKeys().count
        let estimated = try stack.gateway("/v1/messages/count_tokens",
                                          #"{"model":"gpt-4o","messages":[{"role":"user","content":"count me please"}]}"#,
                                          format: "anthropic")
        #expect(estimated.status == 200)
        #expect(try stack.upstreamKeys().count == before)
        let models = try stack.gateway("/v1/models", "", format: "openai", method: "GET")
        #expect(models.status == 200)
        #expect(try JSONValue.parse(models.bodyBytes)["object"]?.string == "list")
    }
}
