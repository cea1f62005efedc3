/// Gemini `streamGenerateContent`: a sequence of complete `GenerateContentResponse` objects
/// (thought parts, then text or one function call; the last carries `finishReason` and the
/// full `usageMetadata`). With `alt=sse` each is an SSE `data:` event ending in CRLF CRLF, as
/// Google sends them; without, they are elements of one JSON array streamed piece by piece.
extension GeminiFormat {
    static func streamContentType(_ shape: StreamShape) -> String {
        shape.sse ? "text/event-stream" : "application/json; charset=UTF-8"
    }

    static func frame(_ payload: String, shape: StreamShape) -> String {
        shape.sse ? "data: " + payload + "\r\n\r\n" : ",\r\n" + payload
    }

    static func closing(_ shape: StreamShape) -> String { shape.sse ? "" : "]" }

    static func opening(_ framed: String, shape: StreamShape) -> String {
        shape.sse || !framed.hasPrefix(",\r\n") ? framed : "[" + framed.dropFirst(2)
    }

    static func events(_ plan: ReplyPlan, shape: StreamShape) -> [String] {
        var responses: [String] = []
        if plan.showThoughts {
            for piece in plan.thinkingPieces { responses.append(response(plan, parts: [thoughtPart(piece)], finish: false)) }
        }
        if plan.tool != nil {
            responses.append(response(plan, parts: [answerPart(plan, text: nil, signed: true)], finish: true))
        } else {
            for (index, piece) in plan.textPieces.enumerated() {
                let last = index == plan.textPieces.count - 1
                responses.append(response(plan, parts: [answerPart(plan, text: piece, signed: index == 0)], finish: last))
            }
        }
        guard !shape.sse else { return responses.map { frame($0, shape: shape) } }
        guard !responses.isEmpty else { return ["[]"] }
        var pieces = responses.enumerated().map { $0.offset == 0 ? "[" + $0.element : frame($0.element, shape: shape) }
        pieces[pieces.count - 1] += "]"
        return pieces
    }

    static func errorEvent(status: Int, message: String?, shape: StreamShape) -> String {
        frame(errorBody(status: status, message: message, retryDelay: nil), shape: shape)
    }
}
