/// Anthropic Messages events: `message_start`, `ping`, per content block
/// `content_block_start` / `content_block_delta`... / `content_block_stop`, then
/// `message_delta` (stop reason, output tokens) and `message_stop`.
extension AnthropicFormat {
    static func streamContentType(_ shape: StreamShape) -> String { "text/event-stream; charset=utf-8" }

    static func event(_ name: String, _ payload: String) -> String { "event: \(name)\ndata: \(payload)\n\n" }

    static func frame(_ payload: String, shape: StreamShape) -> String { event("content_block_delta", payload) }

    static func events(_ plan: ReplyPlan, shape: StreamShape) -> [String] {
        var events = [
            event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_mock_\(plan.sequence)\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\(JSONText.quote(plan.model)),\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":\(usage(plan, output: 1))}}"),
            event("ping", "{\"type\":\"ping\"}"),
        ]
        var index = 0
        func block(_ start: String, _ deltas: [String]) {
            events.append(event("content_block_start", "{\"type\":\"content_block_start\",\"index\":\(index),\"content_block\":\(start)}"))
            for delta in deltas {
                events.append(event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":\(index),\"delta\":\(delta)}"))
            }
            events.append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":\(index)}"))
            index += 1
        }
        if !plan.thinkingPieces.isEmpty {
            block("{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}",
                  plan.thinkingPieces.map { "{\"type\":\"thinking_delta\",\"thinking\":\(JSONText.quote($0))}" }
                      + ["{\"type\":\"signature_delta\",\"signature\":\(JSONText.quote(plan.signature))}"])
        }
        if let tool = plan.tool {
            block("{\"type\":\"tool_use\",\"id\":\"toolu_mock_\(plan.sequence)\",\"name\":\(JSONText.quote(tool.name)),\"input\":{}}",
                  tool.argumentPieces.map { "{\"type\":\"input_json_delta\",\"partial_json\":\(JSONText.quote($0))}" })
        } else {
            block("{\"type\":\"text\",\"text\":\"\"}", plan.textPieces.map { "{\"type\":\"text_delta\",\"text\":\(JSONText.quote($0))}" })
        }
        events.append(event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"\(stopReason(plan.stop))\","
            + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":\(outputTokens(plan))}}"))
        events.append(event("message_stop", "{\"type\":\"message_stop\"}"))
        return events
    }

    static func errorEvent(status: Int, message: String?, shape: StreamShape) -> String {
        event("error", errorBody(status: status, message: message, retryDelay: nil))
    }
}
