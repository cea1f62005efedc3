@testable import MockUpstream
import Testing

/// SHA-256 against FIPS 180-4 vectors, fault spec parsing, placeholder tool arguments, options.
@Suite struct UnitTests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        (String(repeating: "a", count: 55), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
        (String(repeating: "a", count: 64), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
    ])
    func sha256Vectors(input: String, expected: String) {
        #expect(SHA256.hex(Array(input.utf8)) == expected)
    }

    @Test func sha256OfAMillionAs() {
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func faultSpecParsesEveryField() throws {
        let spec = try FaultSpec.parse(json: #"{"status":429,"body":"x","headers":{"Retry-After":3},"retry_delay":5,"delay_ms":1,"#
            + #""chunk_delay_ms":2,"hang":false,"hang_after_chunks":3,"reset_after_chunks":4,"empty_stream":true,"malformed":"sse","#
            + #""huge_bytes":5,"error_after_chunks":6,"error_status":529,"chunks":7}"#)
        #expect(spec.status == 429 && spec.body == "x" && spec.headers == ["Retry-After": "3"] && spec.retryDelay == "5s")
        #expect(spec.delayMs == 1 && spec.chunkDelayMs == 2 && !spec.hang && spec.hangAfterChunks == 3 && spec.resetAfterChunks == 4)
        #expect(spec.emptyStream && spec.malformed == .sse && spec.hugeBytes == 5 && spec.errorAfterChunks == 6)
        #expect(spec.errorStatus == 529 && spec.chunks == 7)
        #expect(throws: FaultSpecError.self) { try FaultSpec.parse(json: #"{"status":99}"#) }
        #expect(throws: FaultSpecError.self) { try FaultSpec.parse(json: #"{"hang":1}"#) }
        #expect(throws: FaultSpecError.self) { try FaultSpec.parse(json: #"{"delay_ms":-1}"#) }
        #expect(throws: FaultSpecError.self) { try FaultSpec.parse(json: "[]") }
    }

    @Test func placeholderArgumentsFollowTheSchema() {
        let schema: [String: Any] = [
            "type": "object", "required": ["b", "a", "c", "d", "e"],
            "properties": ["a": ["type": "integer"], "b": ["type": "boolean"], "c": ["type": "string", "enum": ["x", "y"]],
                           "d": ["type": "array"], "e": ["type": ["object", "null"]]],
        ]
        #expect(ToolOffer.placeholderArguments(schema) == #"{"a":1,"b":true,"c":"x","d":[],"e":{}}"#)
        #expect(ToolOffer.placeholderArguments(nil) == "{}")
        #expect(ToolOffer.placeholderArguments(["type": "object"]) == "{}")
    }

    @Test func optionsParseAndReportEveryProblem() throws {
        #expect(try MockOptions.parse(["--port", "0", "--host", "127.0.0.1", "--threads", "2"]).get().port == 0)
        guard case .failure(let error) = MockOptions.parse(["--port", "x", "--nope", "--threads"]) else {
            Issue.record("expected failure")
            return
        }
        #expect(error.problems.count == 3)
    }
}
