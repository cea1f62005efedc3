import Testing
@testable import JSON

@Suite struct JSONParserTests {
    static let roundTrips: [String] = [
        "null", "true", "false", "0", "-0", "1.5", "-12.25e+10", "1E5", "123456789012345678901234567890",
        "\"\"", "\"héllo ✓ 😀\"", "[]", "{}", "[1,[2,[3]],{\"a\":null}]",
        "{\"b\":1,\"a\":2,\"b\":3}", "{\"x\":\"a\\\"b\\\\c\\n\\t\\u0001\"}",
    ]

    @Test(arguments: roundTrips)
    func roundTripsByteExactly(_ text: String) throws {
        let value = try JSONValue.parse(text)
        #expect(value.serializedString == text)
    }

    static let normalizations: [(String, String)] = [
        (" { \"a\" : [ 1 , 2 ] } \n", "{\"a\":[1,2]}"),
        ("\"\\u00e9\\/\\b\\f\\r\"", "\"é/\\b\\f\\r\""),
        ("\"\\ud83d\\ude00\"", "\"😀\""),
        ("\"\\u001f\\u007f\"", "\"\\u001f\u{7f}\""),
    ]

    @Test(arguments: normalizations)
    func normalizesWhitespaceAndEscapes(_ pair: (String, String)) throws {
        #expect(try JSONValue.parse(pair.0).serializedString == pair.1)
    }

    static let malformed: [(input: [UInt8], offset: Int, fragment: String)] = [
        (Array("".utf8), 0, "end of input"),
        (Array("{} x".utf8), 3, "after the JSON value"),
        (Array("[1,]".utf8), 3, "expected a value"),
        (Array("{\"a\" 1}".utf8), 5, "expected ':'"),
        (Array("{a:1}".utf8), 1, "string key"),
        (Array("[1 2]".utf8), 3, "expected ','"),
        (Array("01".utf8), 1, "leading zeros"),
        (Array("-".utf8), 1, "digit"),
        (Array("1.".utf8), 2, "decimal point"),
        (Array("1e".utf8), 2, "exponent"),
        (Array("tru".utf8), 0, "literal"),
        (Array("nul1".utf8), 0, "literal"),
        (Array("\"abc".utf8), 0, "unterminated string"),
        (Array("\"a\nb\"".utf8), 2, "control character"),
        (Array("\"\\x\"".utf8), 1, "invalid escape"),
        (Array("\"\\u12g4\"".utf8), 1, "hex digit"),
        (Array("\"\\ud800\"".utf8), 1, "unpaired high surrogate"),
        (Array("\"\\udc00\"".utf8), 1, "unpaired low surrogate"),
        ([0x22, 0xC3, 0x22], 2, "continuation"),
        ([0x22, 0xFF, 0x22], 1, "lead byte"),
        ([0x22, 0xC0, 0x80, 0x22], 1, "invalid UTF-8"),
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1, "invalid UTF-8"),
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1, "invalid UTF-8"),
        (Array("[".utf8), 1, "expected a value"),
        (Array("{\"a\":1".utf8), 6, "unterminated object"),
        (Array("NaN".utf8), 0, "expected a value"),
    ]

    @Test(arguments: malformed)
    func rejectsMalformedInput(_ testCase: (input: [UInt8], offset: Int, fragment: String)) {
        do {
            _ = try JSONValue.parse(testCase.input)
            Issue.record("accepted \(testCase.input)")
        } catch {
            #expect(error.offset == testCase.offset, "\(error)")
            #expect(error.message.contains(testCase.fragment), "\(error)")
        }
    }

    @Test func enforcesDepthLimit() throws {
        let ok = String(repeating: "[", count: 128) + String(repeating: "]", count: 128)
        _ = try JSONValue.parse(ok)
        let deep = String(repeating: "[", count: 129) + String(repeating: "]", count: 129)
        #expect(throws: JSONError.self) { try JSONValue.parse(deep) }
        let deepObjects = String(repeating: "{\"a\":", count: 200) + "1" + String(repeating: "}", count: 200)
        #expect(throws: JSONError.self) { try JSONValue.parse(deepObjects) }
    }

    @Test func accessors() throws {
        let value = try JSONValue.parse("{\"s\":\"x\",\"i\":42,\"f\":1.5,\"e\":1e3,\"b\":true,\"a\":[1],\"o\":{\"k\":null}}")
        #expect(value["s"]?.string == "x")
        #expect(value["i"]?.int == 42)
        #expect(value["f"]?.double == 1.5)
        #expect(value["f"]?.int == nil)
        #expect(value["e"]?.int == 1000)
        #expect(value["b"]?.bool == true)
        #expect(value["a"]?[0]?.int == 1)
        #expect(value["a"]?[5] == nil)
        #expect(value["o"]?["k"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["o"]?.object?.keys == ["k"])
    }

    @Test func objectSubscriptKeepsOrder() {
        var object: JSONObject = ["b": 1, "a": 2]
        object["b"] = 3
        object["c"] = 4
        object["a"] = nil
        #expect(JSONValue.object(object).serializedString == "{\"b\":3,\"c\":4}")
    }

    @Test func literalsAndNumbers() {
        let value: JSONValue = ["n": nil, "d": 0.25, "i": -3, "whole": .number(JSONNumber(2.0)), "s": "q\""]
        #expect(value.serializedString == "{\"n\":null,\"d\":0.25,\"i\":-3,\"whole\":2,\"s\":\"q\\\"\"}")
    }

    @Test func parsesFromRawBuffer() throws {
        let bytes = Array("[true]".utf8)
        let value = try bytes.withUnsafeBytes { try JSONValue.parse($0) }
        #expect(value == [true])
    }
}
