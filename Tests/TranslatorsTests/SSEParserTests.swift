import Testing
@testable import Translators

@Suite struct SSEParserTests {
    @Test func handlesEveryLineEndingAndSplit() throws {
        let text = "\u{FEFF}: comment\r\nevent: a\r\ndata: one\r\ndata:two\r\n\r\nid: 7\ndata: x\n\nevent: empty\n\ndata: ü😀\r\r"
        let bytes = Array(text.utf8)
        var whole = SSEParser()
        let expected = try whole.feed(bytes) + whole.finish()
        #expect(expected == [SSEEvent(event: "a", data: Array("one\ntwo".utf8)), SSEEvent(data: Array("x".utf8), id: "7"),
                             SSEEvent(data: Array("ü😀".utf8), id: "7")])
        for cut in 0...bytes.count {
            var parser = SSEParser()
            let events = try parser.feed(bytes[..<cut]) + parser.feed(bytes[cut...]) + parser.finish()
            #expect(events == expected, "cut at \(cut)")
        }
    }

    @Test func deliversAFinalEventWithoutBlankLine() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("data: [DONE]".utf8)).isEmpty)
        #expect(parser.finish() == [SSEEvent(data: Array("[DONE]".utf8))])
    }
}
