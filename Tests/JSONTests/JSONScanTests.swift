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
        // Numbers elsewhere are validated though never built.
        "{\"model\":\"a\",\"n\":01}", "{\"model\":\"a\",\"n\":-}", "{\"model\":\"a\",\"n\":1.}", "{\"model\":\"a\",\"n\":[1e]}",
    ]

    @Test(arguments: failures)
    func rewriteRejects(_ body: String) {
        #expect(throws: JSONError.self) {
            _ = try rewriteTopLevelString(in: Array(body.utf8), key: "model", to: "x")
        }
    }

    @Test func addsAMemberLastKeepingEveryByte() throws {
        func adding(_ body: String) throws -> String? {
            try JSONScan.addingTopLevelMember(to: Array(body.utf8), key: "k", encodedValue: Array("{\"v\":true}".utf8))
                .map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(try adding("{ \"a\": [1, {\"k\": 2}] }\n") == "{ \"a\": [1, {\"k\": 2}] ,\"k\":{\"v\":true}}\n")
        #expect(try adding(" {} ") == " {\"k\":{\"v\":true}} ")
        #expect(try adding("{\"k\":null}") == nil)
        #expect(try adding("{\"\\u006b\":1}") == nil)
        #expect(throws: JSONError.self) { try adding("{\"a\":1} {") }
        #expect(throws: JSONError.self) { try adding("[1]") }
    }

    @Test func looksUpTopLevelValues() throws {
        let body = Array("{\"stream\":true,\"deep\":{\"stream\":false},\"arr\":[1,{\"a\":\"b\"}]}".utf8)
        #expect(try topLevelValue(in: body, key: "stream") == .bool(true))
        #expect(try topLevelValue(in: body, key: "arr") == [1, ["a": "b"]])
        #expect(try topLevelValue(in: body, key: "missing") == nil)
        #expect(throws: JSONError.self) { try topLevelValue(in: Array("{\"a\":[}".utf8), key: "a") }
    }
}
