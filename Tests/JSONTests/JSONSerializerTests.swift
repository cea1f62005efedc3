import Testing
@testable import JSON

/// The fast paths (sixteen-byte escape scan, raw byte buffer, moved parse containers) against
/// plain reference behaviour.
@Suite struct JSONSerializerTests {
    /// What the serializer must produce, written the obvious way, one byte at a time.
    static func referenceQuoted(_ text: String) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case 0x09: out += Array("\\t".utf8)
            case 0x08: out += Array("\\b".utf8)
            case 0x0C: out += Array("\\f".utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
        return out
    }

    /// Every special byte at every position of strings from 0 to 40 bytes, so that each lands
    /// in the low and high word of a sixteen-byte step, the single eight-byte step and the tail.
    @Test func escapesEveryPositionLikeTheReference() throws {
        let specials: [Character] = ["\"", "\\", "\n", "\u{1}", "\u{1f}", "é", "\u{7f}"]
        for length in 0...40 {
            let plain = String(repeating: "a", count: length)
            #expect(JSONValue.string(plain).serialized() == Self.referenceQuoted(plain))
            for position in 0..<length {
                for special in specials {
                    var characters = Array(plain)
                    characters[position] = special
                    if position + 3 < length { characters[position + 3] = "\"" }
                    let text = String(characters)
                    #expect(JSONValue.string(text).serialized() == Self.referenceQuoted(text), "\(length) \(position)")
                    #expect(try JSONValue.parse(JSONValue.string(text).serialized()) == .string(text))
                }
            }
        }
    }

    @Test func writerCopiesAreIndependent() {
        var first = JSONWriter(capacity: 1)
        first.beginArray()
        first.string("shared")
        var second = first
        second.string("second only")
        second.endArray()
        first.number(1)
        first.endArray()
        #expect(first.bytes == Array("[\"shared\",1]".utf8))
        #expect(second.bytes == Array("[\"shared\",\"second only\"]".utf8))
    }

    @Test func serializeIntoAppendsAndGrowsPastTheInitialCapacity() throws {
        let long = String(repeating: "0123456789", count: 200)
        var out = Array("prefix:".utf8)
        JSONValue.array([.string(long), nil, true, false, 1.5]).serialize(into: &out)
        #expect(out == Array("prefix:[\"\(long)\",null,true,false,1.5]".utf8))
        var quoted: [UInt8] = [0x21]
        JSONValue.writeString("a\"b", into: &quoted)
        #expect(quoted == Array("!\"a\\\"b\"".utf8))
    }

    /// Containers wider than the parse stack's first allocation, nested inside each other, and
    /// an error raised while values are still on the stack.
    @Test func wideNestedContainersRoundTrip() throws {
        let inner = "[" + (0..<70).map { "\"v\($0)\"" }.joined(separator: ",") + "]"
        let members = (0..<50).map { "\"k\($0)\":\($0 % 2 == 0 ? inner : "{\"x\":[\($0)]}")" }
        let text = "{" + members.joined(separator: ",") + "}"
        #expect(try JSONValue.parse(text).serializedString == text)
        #expect(throws: JSONError.self) { try JSONValue.parse(String(text.dropLast()) + ",\"k\":[1,2,") }
    }
}
