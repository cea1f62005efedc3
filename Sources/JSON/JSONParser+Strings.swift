extension JSONParser {
    /// Parses the string starting at the current `"` and returns its unescaped value.
    mutating func parseString() throws(JSONError) -> String {
        let start = index + 1
        if try scanString(build: true) {
            return String(decoding: scratch, as: UTF8.self)
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]), as: UTF8.self)
    }

    /// Validates the string at the current `"` and moves past its closing quote. Returns whether
    /// it contained escapes; when it did and `build` is true, `scratch` holds the decoded UTF-8.
    @discardableResult
    mutating func scanString(build: Bool) throws(JSONError) -> Bool {
        let opening = index
        index += 1
        var runStart = index
        var escaped = false
        while true {
            if bytes.count - index >= 8 {
                let mask = SWAR.attentionMask(SWAR.load(bytes, index))
                if mask == 0 {
                    index += 8
                    continue
                }
                index += mask.trailingZeroBitCount >> 3
            }
            guard index < bytes.count else { throw error("unterminated string", at: opening) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if escaped && build { scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
                index += 1
                return escaped
            }
            if byte == UInt8(ascii: "\\") {
                if build {
                    if !escaped { scratch.removeAll(keepingCapacity: true) }
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                }
                escaped = true
                try decodeEscape(build: build)
                runStart = index
                continue
            }
            if byte < 0x20 { throw error("unescaped control character 0x\(String(byte, radix: 16)) in string") }
            if byte < 0x80 { index += 1; continue }
            try validateUTF8Sequence()
        }
    }

    /// Decodes the escape at the current backslash, appending to `scratch` when building.
    mutating func decodeEscape(build: Bool) throws(JSONError) {
        let start = index
        index += 1
        guard index < bytes.count else { throw error("unterminated escape sequence", at: start) }
        let code = bytes[index]
        index += 1
        let simple: UInt8?
        switch code {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw error("invalid escape sequence '\\\(Character(Unicode.Scalar(code)))'", at: start)
        }
        if let simple {
            if build { scratch.append(simple) }
            return
        }
        var scalar = try readHex4(escapeStart: start)
        if scalar >= 0xDC00 && scalar <= 0xDFFF { throw error("unpaired low surrogate escape", at: start) }
        if scalar >= 0xD800 && scalar <= 0xDBFF {
            guard bytes.count - index >= 6, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("unpaired high surrogate escape", at: start)
            }
            index += 2
            let low = try readHex4(escapeStart: start)
            guard low >= 0xDC00 && low <= 0xDFFF else { throw error("unpaired high surrogate escape", at: start) }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        if build { appendUTF8(scalar) }
    }

    mutating func readHex4(escapeStart: Int) throws(JSONError) -> UInt32 {
        guard bytes.count - index >= 4 else { throw error("truncated \\u escape", at: escapeStart) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid hex digit in \\u escape", at: escapeStart)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case ..<0x80:
            scratch.append(UInt8(scalar))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | (scalar >> 6)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | (scalar >> 12)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (scalar >> 18)))
            scratch.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    /// Validates one multi-byte UTF-8 sequence (no overlongs, surrogates or values past U+10FFFF).
    mutating func validateUTF8Sequence() throws(JSONError) {
        let lead = bytes[index]
        let length: Int
        var scalar: UInt32
        let minimum: UInt32
        if lead & 0xE0 == 0xC0 {
            length = 2; scalar = UInt32(lead & 0x1F); minimum = 0x80
        } else if lead & 0xF0 == 0xE0 {
            length = 3; scalar = UInt32(lead & 0x0F); minimum = 0x800
        } else if lead & 0xF8 == 0xF0 {
            length = 4; scalar = UInt32(lead & 0x07); minimum = 0x10000
        } else {
            throw error("invalid UTF-8 lead byte 0x\(String(lead, radix: 16))")
        }
        guard bytes.count - index >= length else { throw error("truncated UTF-8 sequence") }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { throw error("invalid UTF-8 continuation byte", at: index + offset) }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
        }
        guard scalar >= minimum, scalar <= 0x10FFFF, !(scalar >= 0xD800 && scalar <= 0xDFFF) else {
            throw error("invalid UTF-8 sequence")
        }
        index += length
    }
}
