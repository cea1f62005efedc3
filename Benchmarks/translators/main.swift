import Translators
import Dispatch
import Foundation

/// CPU time of this thread in ns: robust to the other builds sharing the machine.
func now() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

// A typical ~4 KB OpenAI chat request with tools.
var messages: [JSONValue] = [["role": "system", "content": .string(String(repeating: "You are a careful assistant. ", count: 12))]]
for turn in 0..<6 {
    messages.append(["role": "user", "content": .string("Question \(turn): " + String(repeating: "what about the weather in Paris? ", count: 4))])
    messages.append(["role": "assistant", "content": .string("Answer \(turn): " + String(repeating: "it is sunny and warm today. ", count: 4))])
}
messages.append(["role": "assistant", "content": nil, "tool_calls": [["id": "call_1", "type": "function", "function": ["name": "get_weather", "arguments": "{\"city\":\"Paris\"}"]]]])
messages.append(["role": "tool", "tool_call_id": "call_1", "content": "{\"temp_c\":21,\"sky\":\"clear\"}"])
let tool: JSONValue = ["type": "function", "function": ["name": "get_weather", "description": "Current weather for a city, with units and forecast options",
    "parameters": ["type": "object", "properties": ["city": ["type": "string", "description": "City name"], "unit": ["type": "string", "enum": ["c", "f"]], "days": ["type": "integer"]], "required": ["city"]]]]
let request: JSONValue = ["model": "gpt-4o", "messages": .array(messages), "tools": [tool, tool, tool], "temperature": 0.3, "max_tokens": 1024, "stream": true]
let body = request.serialized()
print("request bytes: \(body.count)")
if CommandLine.arguments.contains("requests") {
    let count = CommandLine.arguments.last.flatMap { Int($0) } ?? 100_000
    for _ in 0..<count {
        let canonical = try Translator.decodeRequest(body, from: .openai)
        _ = try Translator.encodeRequest(canonical, to: .anthropic, model: "m")
    }
    exit(0)
}
if CommandLine.arguments.count == 4, CommandLine.arguments[1] == "pair",
   let source = Dialect(rawValue: CommandLine.arguments[2]), let target = Dialect(rawValue: CommandLine.arguments[3]) {
    let native = try Translator.encodeRequest(try Translator.decodeRequest(body, from: .openai), to: source, model: "m").body
    for _ in 0..<1000 {
        let request = try Translator.decodeRequest(native, from: source, model: "m")
        _ = try Translator.encodeRequest(request, to: target, model: "m")
    }
    exit(0)
}
if CommandLine.arguments.contains("encode") {
    let count = CommandLine.arguments.last.flatMap { Int($0) } ?? 100_000
    let canonical = try Translator.decodeRequest(body, from: .openai)
    for _ in 0..<count { _ = try Translator.encodeRequest(canonical, to: .anthropic, model: "m") }
    exit(0)
}
if CommandLine.arguments.contains("parse") {
    let count = CommandLine.arguments.last.flatMap { Int($0) } ?? 100_000
    for _ in 0..<count { _ = try JSONValue.parse(body) }
    exit(0)
}

/// The fastest of several rounds, in µs per call (the machine is shared, so the minimum is the signal).
func best(rounds: Int = 7, iterations: Int, _ body: () throws -> Void) rethrows -> Double {
    var fastest = Double.infinity
    for _ in 0..<rounds {
        let start = now()
        for _ in 0..<iterations { try body() }
        fastest = min(fastest, Double(now() - start) / Double(iterations) / 1000)
    }
    return fastest
}
for target in Dialect.allCases {
    let perCall = try best(iterations: 3000) {
        let canonical = try Translator.decodeRequest(body, from: .openai)
        _ = try Translator.encodeRequest(canonical, to: target, model: "m")
    }
    print("openai → \(target.rawValue): \(String(format: "%.1f", perCall)) µs per decode+encode")
}
for source in [Dialect.anthropic, .gemini] {
    let canonical = try Translator.decodeRequest(body, from: .openai)
    let native = try Translator.encodeRequest(canonical, to: source, model: "m").body
    for target in Dialect.allCases where target != source {
        let perCall = try best(iterations: 3000) {
            let request = try Translator.decodeRequest(native, from: source, model: "m")
            _ = try Translator.encodeRequest(request, to: target, model: "m")
        }
        print("\(source.rawValue) → \(target.rawValue): \(String(format: "%.1f", perCall)) µs per decode+encode (\(native.count) bytes)")
    }
}
let passStart = now()
for _ in 0..<20_000 { _ = try Translator.passthrough(body, dialect: .openai, model: "real-model") }
print("passthrough: \(String(format: "%.1f", Double(now() - passStart) / 20_000 / 1000)) µs")

// A 500-event Anthropic stream transcoded to OpenAI.
var stream: [UInt8] = []
stream += Array("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude\",\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n".utf8)
stream += Array("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n".utf8)
for index in 0..<496 {
    stream += Array("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"token \(index) of the answer \"}}\n\n".utf8)
}
stream += Array("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":500}}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n".utf8)
for client in Dialect.allCases {
    let rounds = 200
    var produced = 0
    let start = now()
    for _ in 0..<rounds {
        var decoder = StreamDecoder(dialect: .anthropic)
        var encoder = StreamEncoder(dialect: client, created: 0, includeUsage: true)
        var offset = 0
        while offset < stream.count {
            let end = min(stream.count, offset + 1400)
            produced += encoder.encode(try decoder.feed(stream[offset..<end])).count
            offset = end
        }
        produced += encoder.encode(try decoder.finish()).count + encoder.finish().count
    }
    let seconds = Double(now() - start) / 1e9 / Double(rounds)
    print("anthropic → \(client.rawValue) stream: \(String(format: "%.0f", 500 / seconds)) events/s, \(String(format: "%.1f", Double(stream.count) / seconds / 1e6)) MB/s in, \(String(format: "%.2f", seconds * 1000 / 500 * 1000)) µs/event (\(produced / rounds) bytes out)")
}

// Parse vs. serialize split.
do {
    var sink = 0
    var start = now()
    for _ in 0..<20_000 { if case .object(let o) = try JSONValue.parse(body) { sink &+= o.count } }
    print("parse only: \(String(format: "%.1f", Double(now() - start) / 20_000 / 1000)) µs")
    let value = try JSONValue.parse(body)
    start = now()
    for _ in 0..<20_000 { sink &+= value.serialized().count }
    print("serialize only: \(String(format: "%.1f", Double(now() - start) / 20_000 / 1000)) µs")
    let canonical = try Translator.decodeRequest(body, from: .openai)
    start = now()
    for _ in 0..<20_000 { sink &+= try Translator.encodeRequest(canonical, to: .openai, model: "m").body.count }
    print("encode only: \(String(format: "%.1f", Double(now() - start) / 20_000 / 1000)) µs (\(sink % 3))")
    let parseBest = try best(iterations: 3000) { if case .object(let o) = try JSONValue.parse(body) { sink &+= o.count } }
    print("parse best: \(String(format: "%.1f", parseBest)) µs, \(String(format: "%.0f", Double(body.count) / parseBest)) MB/s")
    // Where a pair's time goes: decoding from each dialect (parse included), encoding to each.
    for dialect in Dialect.allCases {
        let native = try Translator.encodeRequest(canonical, to: dialect, model: "m").body
        let decode = try best(iterations: 3000) { sink &+= try Translator.decodeRequest(native, from: dialect, model: "m").messages.count }
        let encode = try best(iterations: 3000) { sink &+= try Translator.encodeRequest(canonical, to: dialect, model: "m").body.count }
        print("\(dialect.rawValue): decode \(String(format: "%.1f", decode)) µs, encode \(String(format: "%.1f", encode)) µs (\(sink % 3))")
    }
    var sse = SSEParser()
    start = now()
    var events = 0
    for _ in 0..<200 { events += try sse.feed(stream).count }
    print("sse only: \(String(format: "%.2f", Double(now() - start) / 200 / 500 / 1000)) µs/event (\(events))")
}

// The scans every same-format request gets, on a large Anthropic history (about 1 MB of thinking
// blocks with Anthropic signatures, tool calls and text): facts, and the foreign-state check.
do {
    var messages: [JSONValue] = []
    for turn in 0..<400 {
        messages.append(["role": "user", "content": .string("question \(turn): " + String(repeating: "context words ", count: 60))])
        messages.append(["role": "assistant", "content": [
            ["type": "thinking", "thinking": .string(String(repeating: "reasoning step ", count: 40)),
             "signature": .string(String(repeating: "EqQBCkgIARABGAIiQL", count: 20))],
            ["type": "tool_use", "id": .string("toolu_\(turn)"), "name": "read_file", "input": ["path": "/src/main.swift"]],
        ]])
        messages.append(["role": "user", "content": [["type": "tool_result", "tool_use_id": .string("toolu_\(turn)"), "content": "ok"]]])
    }
    let history = JSONValue.object(["model": "claude-sonnet-4", "max_tokens": 4096, "messages": .array(messages)]).serialized()
    var sink = 0
    let facts = best(iterations: 20) { sink &+= RequestFacts.scan(history, dialect: .anthropic)?.model.count ?? 0 }
    let foreign = best(iterations: 20) { sink &+= ProviderState.carriesForeignState(history, client: .anthropic) ? 1 : 0 }
    print("large anthropic body (\(history.count / 1024) KiB): facts scan \(String(format: "%.0f", facts)) µs, "
          + "foreign-state scan \(String(format: "%.0f", foreign)) µs (\(sink % 3))")
}

// The usage read from every same-format (passed through) answer, for the records.
do {
    let answer = Array(#"{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1763776000,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"The capital of France is Paris, which is also its largest city and its political and cultural centre.","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":24,"completion_tokens":21,"total_tokens":45,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_0ba0d124f1"}"#.utf8)
    var sink = 0
    let usage = best(iterations: 20_000) { sink &+= Translator.usage(ofResponse: answer, from: .openai)?.inputTokens ?? 0 }
    print("usage of a passed-through answer (\(answer.count) bytes): \(String(format: "%.2f", usage)) µs (\(sink % 3))")
}
