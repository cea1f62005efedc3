/// A validated JSON document read in place: values are located by byte range and only the
/// ones asked for are built. For reading a few facts out of a large body without building
/// its tree. It points into the document's storage: valid only inside the `JSONView.read`
/// closure that provides it, never to be kept.
public struct JSONView {
    /// What a value is, from its first byte.
    public enum Kind: Sendable, Equatable {
        case object, array, string, number, bool, null
    }

    /// A member of the top-level object: its key's range (quotes included) and its value's.
    struct Member {
        var key: Range<Int>
        var value: Range<Int>
    }

    let bytes: UnsafeBufferPointer<UInt8>
    /// The whole document's value.
    public let root: Range<Int>
    /// The root object's members, noted while validating, so that reading them is not a second
    /// pass over the whole document; nil when the root is not an object.
    private let rootMembers: [Member]?

    init(bytes: UnsafeBufferPointer<UInt8>, root: Range<Int>, rootMembers: [Member]? = nil) {
        self.bytes = bytes
        self.root = root
        self.rootMembers = rootMembers
    }

    /// Validates `document` whole (as strictly as `JSONValue.parse`), then calls `body` with a view of it.
    public static func read<Result>(_ document: [UInt8], _ body: (JSONView) throws -> Result) throws -> Result {
        try document.withUnsafeBufferPointer { bytes in
            var parser = JSONParser(bytes)
            parser.skipWhitespace()
            let start = parser.index
            guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else {
                try parser.skipValue()
                let end = parser.index
                parser.skipWhitespace()
                guard parser.index == bytes.count else { throw parser.error("unexpected data after the JSON value") }
                return try body(JSONView(bytes: bytes, root: start..<end))
            }
            var members: [Member] = []
            members.reserveCapacity(16)
            try JSONScan.forEachTopLevelMember(in: bytes) { key, _, value in members.append(Member(key: key, value: value)) }
            var end = bytes.count
            while end > start, JSONParser.isWhitespace(bytes[end - 1]) { end -= 1 }
            return try body(JSONView(bytes: bytes, root: start..<end, rootMembers: members))
        }
    }

    public func kind(_ value: Range<Int>) -> Kind {
        switch bytes[value.lowerBound] {
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
        case UInt8(ascii: "n"): .null
        default: .number
        }
    }

    /// Each member of the object at `object` in order: its decoded key and its value's range.
    /// Stops when `body` returns false; does nothing when `object` is not an object.
    public func forEachMember(_ object: Range<Int>, _ body: (String, Range<Int>) -> Bool) {
        guard kind(object) == .object else { return }
        var parser = JSONParser(bytes)
        if object == root, let rootMembers {
            for member in rootMembers {
                parser.index = member.key.lowerBound
                guard let key = try? parser.parseString(), body(key, member.value) else { return }
            }
            return
        }
        parser.index = object.lowerBound + 1
        // The document was validated whole: none of these calls can fail.
        do {
            parser.skipWhitespace()
            if bytes[parser.index] == UInt8(ascii: "}") { return }
            while true {
                parser.skipWhitespace()
                let key = try parser.parseString()
                try parser.expectColon()
                parser.skipWhitespace()
                let start = parser.index
                try parser.skipValue()
                guard body(key, start..<parser.index) else { return }
                if try parser.endOfContainer(closing: UInt8(ascii: "}"), what: "object") { return }
            }
        } catch {
            return
        }
    }

    /// Each element of the array at `array` in order; stops when `body` returns false.
    public func forEachElement(_ array: Range<Int>, _ body: (Range<Int>) -> Bool) {
        guard kind(array) == .array else { return }
        var parser = JSONParser(bytes)
        parser.index = array.lowerBound + 1
        do {
            parser.skipWhitespace()
            if bytes[parser.index] == UInt8(ascii: "]") { return }
            while true {
                parser.skipWhitespace()
                let start = parser.index
                try parser.skipValue()
                guard body(start..<parser.index) else { return }
                if try parser.endOfContainer(closing: UInt8(ascii: "]"), what: "array") { return }
            }
        } catch {
            return
        }
    }

    /// The value of `key` in the object at `object` (the last one when duplicated, as `JSONObject` reads it).
    public func member(_ key: String, of object: Range<Int>) -> Range<Int>? {
        var found: Range<Int>?
        forEachMember(object) { name, value in
            if name == key { found = value }
            return true
        }
        return found
    }

    /// The string at `value`, decoded; nil when it is not a string.
    public func string(_ value: Range<Int>) -> String? {
        guard kind(value) == .string else { return nil }
        var parser = JSONParser(bytes)
        parser.index = value.lowerBound
        return try? parser.parseString()
    }

    /// Whether the string at `value` is written with an escape sequence (its bytes between the
    /// quotes then differ from its text).
    public func hasEscapes(string value: Range<Int>) -> Bool {
        bytes[value].contains(UInt8(ascii: "\\"))
    }

    /// The boolean at `value`; nil when it is not `true` or `false`.
    public func bool(_ value: Range<Int>) -> Bool? {
        switch bytes[value.lowerBound] {
        case UInt8(ascii: "t"): true
        case UInt8(ascii: "f"): false
        default: nil
        }
    }

    /// The value at `value`, built.
    public func value(_ value: Range<Int>) throws(JSONError) -> JSONValue {
        try JSONParser.parse(UnsafeBufferPointer(rebasing: bytes[value]))
    }
}
