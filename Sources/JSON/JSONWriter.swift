/// Writes compact JSON straight to bytes, without building a `JSONValue` tree first; output is
/// byte-identical to `JSONValue.serialized()` for the same members in the same order.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8] { storage.buffer.array }
    /// Shared by copies of the writer until one of them writes (copy on write).
    private var storage: Storage
    /// Whether the next key or element needs a comma before it.
    private var needsComma = false

    /// Creates a writer, reserving `capacity` bytes.
    public init(capacity: Int = 1024) {
        storage = Storage(capacity: capacity)
    }

    /// Runs `body` on the buffer, after a comma when one is due; one uniqueness check per call,
    /// not per byte.
    @inline(__always)
    private mutating func write(separated: Bool = true, _ body: (inout ByteBuffer) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        if separated && needsComma { storage.buffer.append(UInt8(ascii: ",")) }
        body(&storage.buffer)
    }

    /// Opens an object (as an array element or after `key`).
    public mutating func beginObject() {
        write { $0.append(UInt8(ascii: "{")) }
        needsComma = false
    }

    /// Closes the innermost object.
    public mutating func endObject() {
        write(separated: false) { $0.append(UInt8(ascii: "}")) }
        needsComma = true
    }

    /// Opens an array (as an array element or after `key`).
    public mutating func beginArray() {
        write { $0.append(UInt8(ascii: "[")) }
        needsComma = false
    }

    /// Closes the innermost array.
    public mutating func endArray() {
        write(separated: false) { $0.append(UInt8(ascii: "]")) }
        needsComma = true
    }

    /// Writes a member name known not to need escaping.
    public mutating func key(_ name: StaticString) {
        write { out in
            out.append(UInt8(ascii: "\""))
            out.append(static: name)
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
        }
        needsComma = false
    }

    /// Writes a member name.
    public mutating func key(_ name: String) {
        write { out in
            JSONSerializer.writeString(name, into: &out)
            out.append(UInt8(ascii: ":"))
        }
        needsComma = false
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        write { JSONSerializer.writeString(value, into: &$0) }
        needsComma = true
    }

    /// Writes an integer value.
    public mutating func number(_ value: Int) {
        write { $0.append(literal: String(value)) }
        needsComma = true
    }

    /// Writes a number value (as `JSONNumber` spells it).
    public mutating func number(_ value: Double) {
        write { $0.append(literal: JSONNumber(value).literal) }
        needsComma = true
    }

    /// Writes a boolean value.
    public mutating func bool(_ value: Bool) {
        write { $0.append(static: value ? "true" : "false") }
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        write { $0.append(static: "null") }
        needsComma = true
    }

    /// Writes any value.
    public mutating func value(_ value: JSONValue) {
        write { JSONSerializer.write(value, into: &$0) }
        needsComma = true
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

extension JSONWriter {
    /// The writer's bytes; a class so that the noncopyable buffer can live in a copyable writer.
    /// Never mutated while shared (the writer copies it first), hence `@unchecked Sendable`.
    final class Storage: @unchecked Sendable {
        @exclusivity(unchecked) var buffer: ByteBuffer

        init(capacity: Int) { buffer = ByteBuffer(capacity: capacity) }

        func copy() -> Storage {
            let copy = Storage(capacity: buffer.count + 256)
            copy.buffer.append(buffer.bytes)
            return copy
        }
    }
}
