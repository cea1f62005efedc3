/// Byte-level scanning and validation of request heads, field lines and chunk lines.
enum HeadScanner {
    /// The offset just past the CRLFCRLF ending a head, or nil when more bytes are needed.
    /// Bare LF, bare CR and NUL are errors wherever they appear.
    static func findEnd(_ input: UnsafeRawBufferPointer, from scanned: Int, limit: Int) throws(HTTPParseError) -> Int? {
        let stop = min(input.count, limit)
        var i = max(scanned - 1, 0)
        while i < stop {
            let byte = input[i]
            if byte == Ascii.lf {
                guard i > 0, input[i - 1] == Ascii.cr else { throw .badRequest("bare LF line ending") }
                if i >= 3, input[i - 2] == Ascii.lf { return i + 1 }
            } else if byte == Ascii.cr {
                if i + 1 < stop, input[i + 1] != Ascii.lf { throw .badRequest("bare CR in header") }  // never past the limit: the outcome must not depend on how many bytes arrived
            } else if byte == 0 {
                throw .badRequest("NUL byte in header")
            }
            i += 1
        }
        return nil
    }

    /// The offset just past the first CRLF, or nil when more bytes are needed.
    static func findLineEnd(_ input: UnsafeRawBufferPointer, limit: Int) throws(HTTPParseError) -> Int? {
        let stop = min(input.count, limit)
        var i = 0
        while i < stop {
            switch input[i] {
            case Ascii.lf:
                guard i > 0, input[i - 1] == Ascii.cr else { throw .badRequest("bare LF line ending") }
                return i + 1
            case Ascii.cr:
                if i + 1 < stop, input[i + 1] != Ascii.lf { throw .badRequest("bare CR in chunk line") }
            case 0:
                throw .badRequest("NUL byte in chunk line")
            default:
                break
            }
            i += 1
        }
        return nil
    }

    /// Rejects a trailer section that starts with whitespace (obsolete line folding).
    static func validateTrailerStart(_ byte: UInt8) throws(HTTPParseError) {
        if byte == Ascii.space || byte == Ascii.tab { throw .badRequest("obsolete line folding") }
    }

    /// Parses a complete head (request line, fields, final empty line).
    static func parse(_ head: UnsafeRawBufferPointer, limits: RequestParser.Limits) throws(HTTPParseError) -> RequestHead {
        var index = 0
        let method = try token(head, &index, what: "method")
        try expect(head, &index, Ascii.space, "single space after method")
        let targetStart = index
        while index < head.count, head[index] > 0x20, head[index] < 0x7F { index += 1 }
        guard index > targetStart else { throw .badRequest("empty request target") }
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: head[targetStart..<index]), as: UTF8.self)
        try expect(head, &index, Ascii.space, "single space after request target")
        let minorVersion = try version(head, &index)
        try expect(head, &index, Ascii.cr, "CRLF after request line")
        try expect(head, &index, Ascii.lf, "CRLF after request line")

        let headers = try parseFieldLines(UnsafeRawBufferPointer(rebasing: head[index...]), limits: limits)
        return try FramingRules.resolve(method: method, target: target, minorVersion: minorVersion, headers: headers,
                                        maxBodyBytes: limits.maxBodyBytes)
    }

    /// Parses field lines up to and including the empty line that ends them.
    static func parseFieldLines(_ lines: UnsafeRawBufferPointer, limits: RequestParser.Limits) throws(HTTPParseError) -> HTTPHeaders {
        var headers = HTTPHeaders()
        headers.reserveCapacity(12)  // one allocation for a typical head, not four
        var index = 0
        while index < lines.count {
            if lines[index] == Ascii.cr { return headers }  // the empty line
            if lines[index] == Ascii.space || lines[index] == Ascii.tab { throw .badRequest("obsolete line folding") }
            guard headers.count < limits.maxHeaderCount else {
                throw .headerTooLarge("more than \(limits.maxHeaderCount) header fields")
            }
            let nameStart = index
            while index < lines.count, Ascii.isTokenByte(lines[index]) { index += 1 }
            guard index > nameStart else { throw .badRequest("invalid header field name") }
            guard index < lines.count, lines[index] == Ascii.colon else {
                throw .badRequest("invalid header field name")
            }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: lines[nameStart..<index]), as: UTF8.self)
            index += 1
            while index < lines.count, lines[index] == Ascii.space || lines[index] == Ascii.tab { index += 1 }
            let valueStart = index
            while index < lines.count, lines[index] != Ascii.cr {
                guard Ascii.isFieldValueByte(lines[index]) else { throw .badRequest("invalid byte in header field \(name)") }
                index += 1
            }
            var valueEnd = index
            while valueEnd > valueStart, lines[valueEnd - 1] == Ascii.space || lines[valueEnd - 1] == Ascii.tab { valueEnd -= 1 }
            let value = String(decoding: UnsafeRawBufferPointer(rebasing: lines[valueStart..<valueEnd]), as: UTF8.self)
            headers.add(name, value)
            index += 2  // CRLF, guaranteed by findEnd
        }
        return headers
    }

    private static func token(_ bytes: UnsafeRawBufferPointer, _ index: inout Int, what: String) throws(HTTPParseError) -> String {
        let start = index
        while index < bytes.count, Ascii.isTokenByte(bytes[index]) { index += 1 }
        guard index > start else { throw .badRequest("invalid \(what)") }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private static func expect(_ bytes: UnsafeRawBufferPointer, _ index: inout Int, _ byte: UInt8, _ what: String) throws(HTTPParseError) {
        guard index < bytes.count, bytes[index] == byte else { throw .badRequest("expected \(what)") }
        index += 1
    }

    private static func version(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) throws(HTTPParseError) -> Int {
        guard index + 8 <= bytes.count else { throw .badRequest("malformed HTTP version") }
        for (offset, byte) in "HTTP/".utf8.enumerated() where bytes[index + offset] != byte {
            throw .badRequest("malformed HTTP version")
        }
        let major = bytes[index + 5], dot = bytes[index + 6], minor = bytes[index + 7]
        guard Ascii.isDigit(major), dot == Ascii.dot, Ascii.isDigit(minor) else { throw .badRequest("malformed HTTP version") }
        index += 8
        guard major == Ascii.one, minor == Ascii.zero || minor == Ascii.one else { throw .unsupportedVersion }
        return Int(minor - Ascii.zero)
    }
}

/// Byte classes of RFC 9110 / 9112.
enum Ascii {
    static let cr: UInt8 = 13, lf: UInt8 = 10, space: UInt8 = 32, tab: UInt8 = 9
    static let colon: UInt8 = 58, semicolon: UInt8 = 59, dot: UInt8 = 46, comma: UInt8 = 44
    static let zero: UInt8 = 48, one: UInt8 = 49

    static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case 48...57: Int(b - 48)
        case 65...70: Int(b - 55)
        case 97...102: Int(b - 87)
        default: nil
        }
    }

    /// tchar: the characters allowed in methods and field names.
    static func isTokenByte(_ b: UInt8) -> Bool { tokenTable[Int(b)] }

    /// field-vchar, SP, HTAB and obs-text; no other control characters.
    static func isFieldValueByte(_ b: UInt8) -> Bool { b == tab || (b >= 0x20 && b != 0x7F) }

    private static let tokenTable: [Bool] = (0..<256).map { value in
        let b = UInt8(value)
        if b >= 0x30 && b <= 0x39 { return true }
        if b >= 0x41 && b <= 0x5A { return true }
        if b >= 0x61 && b <= 0x7A { return true }
        return "!#$%&'*+-.^_`|~".utf8.contains(b)
    }
}
