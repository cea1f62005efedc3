import Testing
@testable import Translators

@Suite struct ResponseGoldenTests {
    static let sources = Fixtures.names(in: "responses")

    @Test(arguments: sources, Dialect.allCases)
    func encodesForEveryClient(_ name: String, _ client: Dialect) throws {
        let body = try Fixtures.bytes("responses/" + name)
        let response = try Translator.decodeResponse(body, from: Fixtures.dialect(of: name), model: "fallback-model")
        let encoded = Translator.encodeResponse(response, to: client, created: 1_700_000_000)
        let base = name.replacingOccurrences(of: ".json", with: "")
        Fixtures.expectGolden(encoded, "expected/responses/\(base).to-\(client.rawValue).json")
    }

    @Test(arguments: sources)
    func responseIsTheFoldOfItsEvents(_ name: String) throws {
        let body = try Fixtures.bytes("responses/" + name)
        let response = try Translator.decodeResponse(body, from: Fixtures.dialect(of: name))
        var fold = ResponseAccumulator()
        for event in response.streamEvents() { fold.apply(event) }
        #expect(fold.response == response)
    }

    @Test(arguments: sources)
    func sameDialectRoundTrip(_ name: String) throws {
        let dialect = Fixtures.dialect(of: name)
        let response = try Translator.decodeResponse(try Fixtures.bytes("responses/" + name), from: dialect)
        let again = try Translator.decodeResponse(Translator.encodeResponse(response, to: dialect, created: 0), from: dialect)
        #expect(again == response)
    }
}
