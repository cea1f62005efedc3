/// Byte-level operations on a document's top-level object that never rebuild the document.
public enum JSONScan {
    /// Calls `body` for each top-level member with whether its key is `key` and the byte range
    /// of its value, after validating the whole document. Keys are compared on their bytes and
    /// decoded only when written with escapes.
    static func forEachTopLevelMember(
        in bytes: UnsafeBufferPointer<UInt8>, matching key: String,
        _ body: (Bool, Range<Int>) -> Void
    ) throws(JSONError) {
        var wanted = key
        try forEachTopLevelMember(in: bytes) { (keyRange, escaped, value) throws(JSONError) in
            let matches: Bool
            if escaped {
                var parser = JSONParser(bytes)
                parser.index = keyRange.lowerBound
                matches = try parser.parseString() == key
            } else {
                let raw = UnsafeBufferPointer(rebasing: bytes[keyRange.lowerBound + 1..<keyRange.upperBound - 1])
                matches = wanted.withUTF8 { raw.elementsEqual($0) }
            }
            body(matches, value)
        }
    }

    /// Validates the whole document, an object at the top level, calling `body` with each
    /// top-level member's key range (quotes included), whether the key is written with escapes,
    /// and its value's range. One pass: nothing is built.
    static func forEachTopLevelMember(
        in bytes: UnsafeBufferPointer<UInt8>,
        _ body: (_ key: Range<Int>, _ escaped: Bool, _ value: Range<Int>) throws(JSONError) -> Void
    ) throws(JSONError) {
        var parser = JSONParser(bytes)
        parser.skipWhitespace()
        guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "{") else {
            throw parser.error("expected a JSON object at the top level")
        }
        try parser.enter()
        parser.index += 1
        parser.skipWhitespace()
        if parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "}") {
            parser.index += 1
        } else {
            while true {
                parser.skipWhitespace()
                guard parser.index < bytes.count, bytes[parser.index] == UInt8(ascii: "\"") else {
                    throw parser.error("expected a string key but found \(parser.describeCurrent())")
                }
                let keyStart = parser.index
                let escaped = try parser.scanString(build: false)
                let keyRange = keyStart..<parser.index
                try parser.expectColon()
                let start = parser.index
                try parser.skipValue()
                try body(keyRange, escaped, start..<parser.index)
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
            try forEachTopLevelMember(in: buffer, matching: key) { matches, range in
                if matches { found = range }
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
            try forEachTopLevelMember(in: buffer, matching: key) { matches, range in
                if matches { ranges.append(range) }
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

extension JSONScan {
    /// `bytes` with the member `key` (its value given already encoded) added last to the
    /// top-level object, every existing byte kept; nil when the object already has `key`.
    public static func addingTopLevelMember(to bytes: [UInt8], key: String, encodedValue: [UInt8]) throws(JSONError) -> [UInt8]? {
        var present = false
        var empty = true
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONError) in
            try forEachTopLevelMember(in: buffer, matching: key) { matches, _ in
                present = present || matches
                empty = false
            }
        }
        // Validated as one object above: its last `}` closes it.
        guard !present, let close = bytes.lastIndex(of: UInt8(ascii: "}")) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + key.utf8.count + encodedValue.count + 4)
        out.append(contentsOf: bytes[..<close])
        if !empty { out.append(UInt8(ascii: ",")) }
        JSONValue.writeString(key, into: &out)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: encodedValue)
        out.append(contentsOf: bytes[close...])
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
