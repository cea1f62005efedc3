/// Byte-level operations on a document's top-level object that never rebuild the document.
public enum JSONScan {
    /// Calls `body` with each top-level member's decoded key and the byte range of its value,
    /// after validating the whole document. Stops early when `body` returns false.
    static func forEachTopLevelMember(
        in bytes: UnsafeBufferPointer<UInt8>,
        _ body: (String, Range<Int>) -> Bool
    ) throws(JSONError) {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") else {
            throw parser.error("expected a JSON object at the top level")
        }
        try parser.enter()
        parser.index += 1
        parser.skipWhitespace()
        var keepGoing = true
        if parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "\"") else {
                    throw parser.error("expected a string key but found \(parser.describeCurrent())")
                }
                let key = try parser.parseString()
                try parser.expectColon()
                let start = parser.index
                try parser.skipValue()
                if keepGoing { keepGoing = body(key, start..<parser.index) }
                if try parser.endOfContainer(closing: UInt8(ascii: "}"), what: "object") { break }
            }
        }
        parser.skipWhitespace()
        guard parser.index == bytes.count else { throw parser.error("unexpected data after the JSON value") }
    }

    /// The value of `key` in the top-level object (the last one when duplicated), parsed on its
    /// own; `nil` when the key is absent. Other members are validated but not built.
    public static func topLevelValue(in bytes: [UInt8], key: String) throws(JSONError) -> JSONValue? {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) -> JSONValue? in
            var found: Range<Int>?
            try forEachTopLevelMember(in: buffer) { name, range in
                if name == key { found = range }
                return true
            }
            guard let found else { return nil }
            return try JSONParser.parse(UnsafeBufferPointer(rebasing: buffer[found]))
        }
    }

    /// Returns `bytes` with the string value of every top-level `key` replaced by `newValue`;
    /// every other byte is left untouched. Throws when the key is absent or not a string.
    public static func rewriteTopLevelString(in bytes: [UInt8], key: String, to newValue: String) throws(JSONError) -> [UInt8] {
        let ranges = try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) -> [Range<Int>] in
            var ranges: [Range<Int>] = []
            try forEachTopLevelMember(in: buffer) { name, range in
                if name == key { ranges.append(range) }
                return true
            }
            return ranges
        }
        guard !ranges.isEmpty else { throw JSONError(offset: 0, message: "top-level key '\(key)' not found") }
        var replacement: [UInt8] = []
        JSONValue.writeString(newValue, into: &replacement)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + replacement.count)
        var cursor = 0
        for range in ranges {
            guard bytes[range.lowerBound] == UInt8(ascii: "\"") else {
                throw JSONError(offset: range.lowerBound, message: "top-level key '\(key)' is not a string")
            }
            out.append(contentsOf: bytes[cursor..<range.lowerBound])
            out.append(contentsOf: replacement)
            cursor = range.upperBound
        }
        out.append(contentsOf: bytes[cursor...])
        return out
    }
}

/// Returns `bytes` with the top-level string `key` replaced by `newValue`, all other bytes intact.
public func rewriteTopLevelString(in bytes: [UInt8], key: String, to newValue: String) throws(JSONError) -> [UInt8] {
    try JSONScan.rewriteTopLevelString(in: bytes, key: key, to: newValue)
}

/// The value of the top-level member `key`, or `nil` when absent.
public func topLevelValue(in bytes: [UInt8], key: String) throws(JSONError) -> JSONValue? {
    try JSONScan.topLevelValue(in: bytes, key: key)
}
