import Testing
import JSON

@Suite struct JSONScanTests {
    @Test func rewritesOnlyTheModelBytes() throws {
        let body = "{ \"model\" : \"gpt-4o\",\n \"x\": {\"model\": \"inner\"}, \"n\": 1.000, \"u\": \"\\u00e9\" }"
        let out = try rewriteTopLevelString(in: Array(body.utf8), key: "model", to: "o\"3")
        #expect(String(decoding: out, as: UTF8.self)
            == "{ \"model\" : \"o\\\"3\",\n \"x\": {\"model\": \"inner\"}, \"n\": 1.000, \"u\": \"\\u00e9\" }")
    }

    @Test func rewritesEscapedKeysAndDuplicates() throws {
        let body = "{\"mod\\u0065l\":\"a\",\"model\":\"b\"}"
        let out = try rewriteTopLevelString(in: Array(body.utf8), key: "model", to: "c")
        #expect(String(decoding: out, as: UTF8.self) == "{\"mod\\u0065l\":\"c\",\"model\":\"c\"}")
    }

    static let failures: [String] = [
        "{\"other\":1}", "{\"model\":1}", "[\"model\"]", "{\"model\":\"a\"", "{\"model\":\"a\"} x", "{\"model\":\"a\",}",
    ]

    @Test(arguments: failures)
    func rewriteRejects(_ body: String) {
        #expect(throws: JSONError.self) {
            _ = try rewriteTopLevelString(in: Array(body.utf8), key: "model", to: "x")
        }
    }

    @Test func looksUpTopLevelValues() throws {
        let body = Array("{\"stream\":true,\"deep\":{\"stream\":false},\"arr\":[1,{\"a\":\"b\"}]}".utf8)
        #expect(try topLevelValue(in: body, key: "stream") == .bool(true))
        #expect(try topLevelValue(in: body, key: "arr") == [1, ["a": "b"]])
        #expect(try topLevelValue(in: body, key: "missing") == nil)
        #expect(throws: JSONError.self) { try topLevelValue(in: Array("{\"a\":[}".utf8), key: "a") }
    }
}
