/// Compact, deterministic JSON output: no whitespace, members in stored order, UTF-8 kept as is.
enum JSONSerializer {
    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    static func write(_ value: JSONValue, into out: inout ByteBuffer) {
        switch value {
        case .null: out.append(static: "null")
        case .bool(let flag): out.append(static: flag ? "true" : "false")
        case .number(let number): out.append(literal: number.literal)
        case .string(let string): writeString(string, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            for member in object.members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ string: String, into out: inout ByteBuffer) {
        out.append(UInt8(ascii: "\""))
        if string.utf8.withContiguousStorageIfAvailable({ writeEscaped($0, into: &out) }) == nil {
            var copy = string
            copy.withUTF8 { writeEscaped($0, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends `utf8` with `"`, `\\` and control characters escaped; the runs between escapes
    /// (usually the whole string) are copied in bulk.
    static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into out: inout ByteBuffer) {
        var runStart = 0
        var index = SWAR.firstEscape(in: utf8, from: 0)
        while index < utf8.count {
            let byte = utf8[index]
            out.append(UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            index += 1
            runStart = index
            out.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                out.append(static: "u00")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            }
            index = SWAR.firstEscape(in: utf8, from: index)
        }
        out.append(UnsafeBufferPointer(rebasing: utf8[runStart..<utf8.count]))
    }
}

extension [UInt8] {
    /// Appends what `write` writes (serializing into a `ByteBuffer`, then copying once).
    mutating func appendWritten(capacity: Int, _ write: (inout ByteBuffer) -> Void) {
        var buffer = ByteBuffer(capacity: capacity)
        write(&buffer)
        append(contentsOf: buffer.bytes)
    }
}

extension JSONValue {
    /// The compact serialization as UTF-8 bytes.
    public func serialized() -> [UInt8] {
        var out = ByteBuffer(capacity: 512)
        JSONSerializer.write(self, into: &out)
        return out.array
    }

    /// Appends the compact serialization to `out`.
    public func serialize(into out: inout [UInt8]) {
        out.appendWritten(capacity: 512) { JSONSerializer.write(self, into: &$0) }
    }

    /// The compact serialization as a `String`.
    public var serializedString: String {
        var out = ByteBuffer(capacity: 512)
        JSONSerializer.write(self, into: &out)
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// Appends `string` as a JSON string literal (quoted and escaped) to `out`.
    public static func writeString(_ string: String, into out: inout [UInt8]) {
        out.appendWritten(capacity: string.utf8.count + 16) { JSONSerializer.writeString(string, into: &$0) }
    }
}
