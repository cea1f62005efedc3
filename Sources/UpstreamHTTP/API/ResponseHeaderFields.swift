/// A response's header fields in arrival order, kept as the bytes of their lines and decoded only
/// when asked for: the gateway reads them only on failures (`Retry-After`), so a served response
/// costs one buffer, not a `String` per name and value.
public struct ResponseHeaderFields: Sendable {
    /// `name:value\n` per field, value trimmed; names are tokens and values hold no CR or LF,
    /// so neither separator is ambiguous.
    private var bytes: [UInt8] = []

    init() {}

    var isEmpty: Bool { bytes.isEmpty }

    mutating func append(name: some Collection<UInt8>, value: some Collection<UInt8>) {
        if bytes.isEmpty { bytes.reserveCapacity(256) }
        bytes.append(contentsOf: name)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: value)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Continues the last field's value (obsolete line folding): `value SP more`.
    mutating func continueLast(_ more: some Collection<UInt8>) {
        guard bytes.last == UInt8(ascii: "\n") else { return }
        bytes.removeLast()
        bytes.append(0x20)
        bytes.append(contentsOf: more)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// Every field, decoded, in order.
    public var all: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        forEach { name, value in
            fields.append((String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
            return true
        }
        return fields
    }

    /// Every value of `name` (compared case-insensitively), in order.
    public func values(_ name: String) -> [String] {
        var found: [String] = []
        forEach { fieldName, value in
            if asciiCaseInsensitiveEqual(fieldName, name.utf8) { found.append(String(decoding: value, as: UTF8.self)) }
            return true
        }
        return found
    }

    /// The first value of `name` (compared case-insensitively).
    public func first(_ name: String) -> String? {
        var found: String?
        forEach { fieldName, value in
            guard asciiCaseInsensitiveEqual(fieldName, name.utf8) else { return true }
            found = String(decoding: value, as: UTF8.self)
            return false
        }
        return found
    }

    /// Calls `body` with each field's name and value bytes until it returns false.
    private func forEach(_ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Bool) {
        var start = 0
        while start < bytes.count {
            guard let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")),
                  let colon = bytes[start..<end].firstIndex(of: UInt8(ascii: ":")) else { return }
            guard body(bytes[start..<colon], bytes[(colon + 1)..<end]) else { return }
            start = end + 1
        }
    }

}
