import Testing
import JSON

@Suite struct JSONWriterTests {
    @Test func matchesTheTreeSerializer() throws {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("model", "m\"1")
        writer.key("messages")
        writer.beginArray()
        writer.beginObject()
        writer.field("role", "user")
        writer.key("n")
        writer.number(2.5)
        writer.endObject()
        writer.beginArray()
        writer.endArray()
        writer.null()
        writer.bool(true)
        writer.endArray()
        writer.field("max", ifPresent: 3 as Int?)
        writer.field("skip", ifPresent: nil as String?)
        writer.key("dyn\u{1}")
        writer.value(["a": [1, "b"]])
        writer.field("stop", strings: ["x", "y"])
        writer.key("empty")
        writer.beginObject()
        writer.endObject()
        writer.endObject()
        let tree: JSONValue = ["model": "m\"1", "messages": [["role": "user", "n": 2.5], [], nil, true], "max": 3,
                               "dyn\u{1}": ["a": [1, "b"]], "stop": ["x", "y"], "empty": [:]]
        #expect(writer.bytes == tree.serialized())
    }
}
