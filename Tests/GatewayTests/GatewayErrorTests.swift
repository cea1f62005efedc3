import HTTPCore
import JSON
import Testing
import Translators
@testable import Router

@Suite struct GatewayErrorTests {
    private func render(_ failure: GatewayFailure, path: String) throws -> (HTTPResponse, JSONValue) {
        let request = HTTPRequest(method: "POST", target: path, headers: [:], body: [], id: "r", remoteAddress: "")
        let response = GatewayErrorRenderer.render(failure, request)
        guard case .bytes(let body) = response.body else { throw GatewayTestError.streamed }
        return (response, try JSONValue.parse(body))
    }

    @Test func errorsComeBackInTheFormatOfTheEndpoint() throws {
        let (openai, openaiBody) = try render(.modelNotFound("x"), path: "/v1/chat/completions")
        #expect(openai.status == 404)
        #expect(openaiBody["error"]?["code"]?.string == "model_not_found")
        let (anthropic, anthropicBody) = try render(.unauthenticated, path: "/v1/messages")
        #expect(anthropic.status == 401)
        #expect(anthropicBody["type"]?.string == "error")
        #expect(anthropicBody["error"]?["type"]?.string == "authentication_error")
        let (gemini, geminiBody) = try render(.modelNotAllowed("m"), path: "/v1beta/models/m:generateContent")
        #expect(gemini.status == 403)
        #expect(geminiBody["error"]?["status"]?.string == "PERMISSION_DENIED")
        #expect(geminiBody["error"]?["code"]?.int == 403)
    }

    @Test func allCoolingIs429WithRetryAfterAndNamesTheModel() throws {
        let (response, body) = try render(.allCooling(model: "gpt-x", retryAfterSeconds: 17, reason: "quota"), path: "/v1/messages")
        #expect(response.status == 429)
        #expect(response.headers["Retry-After"] == "17")
        #expect(body["error"]?["message"]?.string?.contains("gpt-x") == true)
    }

    @Test func finalAnswersHaveTheirStatuses() throws {
        #expect(try render(.allUnauthorized(model: "m"), path: "/v1/chat/completions").0.status == 502)
        #expect(try render(.noneEnabled(model: "m"), path: "/v1/chat/completions").0.status == 503)
        #expect(try render(.translation(.malformed(path: "messages", message: "is required")), path: "/v1/messages").0.status == 400)
        #expect(try render(.translation(.unsupported(feature: "thinking", dialect: .openai)), path: "/v1/messages").0.status == 422)
    }
}

enum GatewayTestError: Error { case streamed }
