/// OpenAI `chat.completion.chunk` events: a role delta, content (or tool-call argument)
/// deltas, a finish chunk, an optional usage chunk, then `data: [DONE]`.
extension OpenAIFormat {
    static func streamContentType(_ shape: StreamShape) -> String { "text/event-stream; charset=utf-8" }

    static func frame(_ payload: String, shape: StreamShape) -> String { "data: " + payload + "\n\n" }

    static func events(_ plan: ReplyPlan, shape: StreamShape) -> [String] {
        let head = "{\"id\":\"chatcmpl-mock-\(plan.sequence)\",\"object\":\"chat.completion.chunk\",\"created\":\(plan.created),"
            + "\"model\":\(JSONText.quote(plan.model)),\"service_tier\":\"default\",\"system_fingerprint\":\"fp_mock\",\"choices\":["
        let tail = shape.includeUsage ? "],\"usage\":null}" : "]}"
        func chunk(_ delta: String, finish: String? = nil) -> String {
            frame(head + "{\"index\":0,\"delta\":\(delta),\"logprobs\":null,\"finish_reason\":\(JSONText.quote(finish))}" + tail, shape: shape)
        }
        var events: [String] = []
        if let tool = plan.tool {
            events.append(chunk("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_mock_\(plan.sequence)\","
                + "\"type\":\"function\",\"function\":{\"name\":\(JSONText.quote(tool.name)),\"arguments\":\"\"}}],\"refusal\":null}"))
            for piece in tool.argumentPieces {
                events.append(chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\(JSONText.quote(piece))}}]}"))
            }
        } else {
            events.append(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}"))
            for piece in plan.textPieces { events.append(chunk("{\"content\":\(JSONText.quote(piece))}")) }
        }
        events.append(chunk("{}", finish: finishReason(plan.stop)))
        if shape.includeUsage {
            events.append(frame(head + "],\"usage\":\(usage(plan))}", shape: shape))
        }
        events.append(frame("[DONE]", shape: shape))
        return events
    }

    static func errorEvent(status: Int, message: String?, shape: StreamShape) -> String {
        frame(errorBody(status: status, message: message, retryDelay: nil), shape: shape)
    }
}
