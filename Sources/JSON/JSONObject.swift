/// One key/value pair of a JSON object.
public struct JSONMember: Sendable, Hashable {
    /// The member name.
    public var key: String
    /// The member value.
    public var value: JSONValue

    /// Creates a member.
    public init(key: String, value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// A JSON object as an ordered list of members with key lookup (last duplicate wins on read).
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral {
    /// Members in document order.
    public var members: [JSONMember]

    /// Creates an object from members in order.
    public init(_ members: [JSONMember] = []) { self.members = members }

    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        members = elements.map { JSONMember(key: $0.0, value: $0.1) }
    }

    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> JSONMember { members[position] }

    /// The member names in order.
    public var keys: [String] { members.map(\.key) }

    /// Reads the value of `key` (the last one when duplicated); setting replaces in place,
    /// appends when absent, and removes every occurrence when set to `nil`.
    public subscript(key: String) -> JSONValue? {
        get {
            var index = members.count - 1
            while index >= 0 {
                if members[index].key == key { return members[index].value }
                index -= 1
            }
            return nil
        }
        set {
            guard let newValue else {
                members.removeAll { $0.key == key }
                return
            }
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = newValue
                var later = members.count - 1
                while later > index {
                    if members[later].key == key { members.remove(at: later) }
                    later -= 1
                }
            } else {
                members.append(JSONMember(key: key, value: newValue))
            }
        }
    }

    /// Appends a member without looking for an existing one (the caller knows the key is new).
    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append(JSONMember(key: key, value: value))
    }

    /// Appends a member only when `value` is non-nil.
    public mutating func append(_ key: String, ifPresent value: JSONValue?) {
        if let value { members.append(JSONMember(key: key, value: value)) }
    }
}
