import HTTPCore

/// Which operation of an API a route serves.
enum Operation: Sendable {
    /// Generation; `stream` is fixed by the endpoint (Gemini) or nil to read the body's `stream`.
    case generate(stream: Bool?, shape: StreamShape)
    case countTokens
    case models
}

/// One API request end to end: authentication, fault selection, recording, then the reply
/// or the scripted misbehaviour.
struct APIExchange<Format: WireFormat> {
    let mock: MockUpstream
    let request: HTTPRequest
    let operation: Operation

    func respond() async -> HTTPResponse {
        let key = Format.apiKey(request)
        let object = JSONText.object(request.body)
        let model = Format.model(object, pathModel: request.pathParameters["model"])
        var fault: ScriptedFault?
        var faultProblem: String?
        if let header = request.headers["x-mock-fault"] {
            do {
                let spec = try FaultSpec.parse(json: header)
                fault = ScriptedFault(spec: spec, json: JSONText.encode(JSONText.object(header) ?? [:]))
            } catch {
                faultProblem = "invalid X-Mock-Fault: \(error.message)"
            }
        }
        let authProblem: (status: Int, message: String)? =
            if key == nil { (401, "Missing API key: send it as the \(Format.api) SDK does") }
            else if key!.hasPrefix("invalid") { (401, "Invalid API key provided") }
            else { Format.headerProblem(request).map { (400, $0) } }
        if fault == nil && authProblem == nil && faultProblem == nil { fault = mock.faults.take(key: key, model: model) }
        let stream: Bool = switch operation {
        case .generate(let fixed, _): fixed ?? (JSONRead.bool(object?["stream"]) ?? false)
        default: false
        }
        mock.log.append(RequestLog.Record(method: request.method, path: request.path, api: Format.api, key: key, model: model,
                                          bodySHA256: SHA256.hex(request.body), stream: stream, fault: fault?.json))
        if let faultProblem { return error(400, faultProblem) }
        if let authProblem { return error(authProblem.status, authProblem.message) }
        let spec = fault?.spec ?? FaultSpec()
        var response = await reply(object: object, stream: stream, spec: spec)
        for (name, value) in spec.headers.sorted(by: { $0.key < $1.key }) { response.headers.set(name, value) }
        return response
    }

    private func reply(object: [String: Any]?, stream: Bool, spec: FaultSpec) async -> HTTPResponse {
        if let delay = spec.delayMs, delay > 0 {
            try? await Task.sleep(for: .milliseconds(delay))
        }
        if spec.hang {
            await MockClock.sleepUntilCancelled()
            return HTTPResponse(status: 499)
        }
        if spec.answersWithStatus {
            let status = spec.status ?? 200
            let body = spec.body ?? Format.errorBody(status: status, message: nil, retryDelay: spec.retryDelay)
            return .json(status, Array(body.utf8))
        }
        switch operation {
        case .models:
            return .json(200, Array(Format.modelsBody().utf8))
        case .countTokens:
            return countTokens(object)
        case .generate(_, let shape):
            guard let object else { return error(400, "the request body is not a valid JSON object") }
            var parsed: MockRequest
            do { parsed = try Format.read(object, pathModel: request.pathParameters["model"]) } catch { return self.error(400, error.message) }
            parsed.stream = stream
            parsed.bodyBytes = request.body.count
            let plan = ReplyPlan(request: parsed, sequence: mock.nextSequence(), created: mock.configuration.now(), chunks: spec.chunks)
            var streamShape = shape
            streamShape.includeUsage = parsed.includeUsage
            return stream ? streamed(plan, shape: streamShape, spec: spec) : complete(plan, spec: spec)
        }
    }

    private func countTokens(_ object: [String: Any]?) -> HTTPResponse {
        guard let object else { return error(400, "the request body is not a valid JSON object") }
        if Format.api == .anthropic {
            do { _ = try AnthropicFormat.modelAndMessages(object) } catch { return self.error(400, error.message) }
        } else if object["contents"] == nil && object["generateContentRequest"] == nil {
            return error(400, "contents or generateContentRequest is required")
        }
        return .json(200, Array(Format.countTokensBody(max(1, request.body.count / 4)).utf8))
    }

    private func complete(_ plan: ReplyPlan, spec: FaultSpec) -> HTTPResponse {
        if spec.emptyStream { return .json(200, []) }
        var plan = plan
        var body = Format.body(plan)
        if let huge = spec.hugeBytes, plan.tool == nil, huge > body.utf8.count {
            plan.pad(bytes: huge - body.utf8.count)
            body = Format.body(plan)
        }
        var bytes = Array(body.utf8)
        if spec.malformed != nil { bytes.removeLast(bytes.count / 2) }
        guard spec.resetAfterChunks != nil || spec.hangAfterChunks != nil else { return .json(200, bytes) }
        // A cut or a silence mid-body needs a body that is still being written: send it chunked, in two halves.
        let halves = [Array(bytes[..<(bytes.count / 2)]), Array(bytes[(bytes.count / 2)...])]
        return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: .stream { writer in
            try await StreamScript<Format>.play(halves, spec: spec, into: writer)
        })
    }

    private func streamed(_ plan: ReplyPlan, shape: StreamShape, spec: FaultSpec) -> HTTPResponse {
        var plan = plan
        if let huge = spec.hugeBytes, plan.tool == nil { plan.pad(bytes: huge) }
        let chunks = StreamScript<Format>(events: Format.events(plan, shape: shape), shape: shape, spec: spec).chunks
        let headers: HTTPHeaders = ["Content-Type": Format.streamContentType(shape), "Cache-Control": "no-cache"]
        return HTTPResponse(status: 200, headers: headers, body: .stream { writer in
            try await StreamScript<Format>.play(chunks, spec: spec, into: writer)
        })
    }

    private func error(_ status: Int, _ message: String) -> HTTPResponse {
        .json(status, Array(Format.errorBody(status: status, message: message, retryDelay: nil).utf8))
    }
}
