/// Writes compact JSON straight to bytes, without building a `JSONValue` tree first; output is
/// byte-identical to `JSONValue.serialized()` for the same members in the same order.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]
    /// Whether the next key or element needs a comma before it.
    private var needsComma = false

    /// Creates a writer, reserving `capacity` bytes.
    public init(capacity: Int = 1024) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    /// Opens an object (as an array element or after `key`).
    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Opens an array (as an array element or after `key`).
    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name known not to need escaping.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = false
    }

    /// Writes a member name.
    public mutating func key(_ name: String) {
        separate()
        JSONSerializer.writeString(name, into: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        separate()
        JSONSerializer.writeString(value, into: &bytes)
    }

    /// Writes an integer value.
    public mutating func number(_ value: Int) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes a number value (as `JSONNumber` spells it).
    public mutating func number(_ value: Double) {
        separate()
        bytes.append(contentsOf: JSONNumber(value).literal.utf8)
    }

    /// Writes a boolean value.
    public mutating func bool(_ value: Bool) {
        separate()
        JSONSerializer.write(.bool(value), into: &bytes)
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        JSONSerializer.write(.null, into: &bytes)
    }

    /// Writes any value.
    public mutating func value(_ value: JSONValue) {
        separate()
        JSONSerializer.write(value, into: &bytes)
    }

    /// `key` followed by a string.
    public mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// `key` followed by a string, only when `value` is non-nil.
    public mutating func field(_ name: StaticString, ifPresent value: String?) {
        if let value { field(name, value) }
    }

    /// `key` followed by any value, only when `value` is non-nil.
    public mutating func field(_ name: StaticString, ifPresent value: JSONValue?) {
        if let value {
            key(name)
            self.value(value)
        }
    }

    /// `key` followed by an integer, only when `value` is non-nil.
    public mutating func field(_ name: StaticString, ifPresent value: Int?) {
        if let value {
            key(name)
            number(value)
        }
    }

    /// `key` followed by a number, only when `value` is non-nil.
    public mutating func field(_ name: StaticString, ifPresent value: Double?) {
        if let value {
            key(name)
            number(value)
        }
    }

    /// `key` followed by a boolean, only when `value` is non-nil.
    public mutating func field(_ name: StaticString, ifPresent value: Bool?) {
        if let value {
            key(name)
            bool(value)
        }
    }

    /// `key` followed by an array of strings.
    public mutating func field(_ name: StaticString, strings: [String]) {
        key(name)
        beginArray()
        for element in strings { string(element) }
        endArray()
    }
}
