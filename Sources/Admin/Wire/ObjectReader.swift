import JSON

/// A member read from a JSON object: absent, explicitly `null`, or a value.
enum Member<T> {
    case absent, null, value(T)

    /// The value, or nil for both absent and null.
    var value: T? {
        if case .value(let v) = self { return v }
        return nil
    }

    var isAbsent: Bool {
        if case .absent = self { return true }
        return false
    }
}

/// Reads typed members of one JSON object, recording every type problem in `issues` and,
/// at `finish()`, every member that was never asked for (a typo must not pass silently).
struct ObjectReader {
    let object: JSONObject
    /// Prefix of every field path, e.g. `credentials[2].`.
    let path: String
    let issues: Issues
    private var known: Set<String> = []

    init(_ object: JSONObject, path: String = "", issues: Issues) {
        self.object = object
        self.path = path
        self.issues = issues
    }

    /// Reads `value` as an object, or records a type issue at `field`.
    static func object(_ value: JSONValue, field: String, path: String, issues: Issues) -> ObjectReader? {
        guard case .object(let object) = value else {
            issues.add("invalid_type", field.isEmpty ? nil : field, "must be an object, not \(value.typeName)")
            return nil
        }
        return ObjectReader(object, path: path, issues: issues)
    }

    func field(_ key: String) -> String { path + key }

    /// Accepts a read-only member echoed back from a GET: its value is ignored, but must have
    /// the documented type (`check` returns false otherwise).
    mutating func readOnly(_ key: String, expected: String, _ check: (JSONValue) -> Bool) {
        known.insert(key)
        guard let value = object[key], !check(value) else { return }
        issues.add("invalid_type", field(key), "must be \(expected), not \(value.typeName)")
    }

    /// Whether the member is present (even as null).
    func has(_ key: String) -> Bool { object.keys.contains(key) }

    /// The raw member.
    mutating func raw(_ key: String) -> Member<JSONValue> {
        known.insert(key)
        guard let value = object[key] else { return .absent }
        return value.isNull ? .null : .value(value)
    }

    /// Reads a member with `convert`, which returns nil for a value of the wrong type.
    mutating func read<T>(_ key: String, nullable: Bool = false, expected: String,
                          _ convert: (JSONValue) -> T?) -> Member<T> {
        switch raw(key) {
        case .absent: return .absent
        case .null:
            if !nullable { issues.add("invalid_type", field(key), "must be \(expected), not null") }
            return .null
        case .value(let value):
            guard let converted = convert(value) else {
                issues.add("invalid_type", field(key), "must be \(expected), not \(value.typeName)")
                return .absent
            }
            return .value(converted)
        }
    }

    mutating func string(_ key: String, nullable: Bool = false) -> Member<String> {
        read(key, nullable: nullable, expected: "a string") { $0.string }
    }

    mutating func bool(_ key: String) -> Member<Bool> {
        read(key, expected: "a boolean") { $0.bool }
    }

    /// An integer within `range`; a value outside it is recorded as `invalid_value`.
    mutating func int(_ key: String, in range: ClosedRange<Int>) -> Member<Int> {
        let member = read(key, expected: "an integer") { value -> Int? in
            guard case .number(let number) = value, !number.literal.contains("."),
                  !number.literal.lowercased().contains("e") else { return nil }
            return number.int
        }
        if case .value(let number) = member, !range.contains(number) {
            issues.add("invalid_value", field(key), "must be an integer from \(range.lowerBound) to \(range.upperBound)")
            return .absent
        }
        return member
    }

    /// One of an enumeration's raw values.
    mutating func choice<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) -> Member<E> where E.RawValue == String {
        let member = string(key)
        guard case .value(let text) = member else { return member.isAbsent ? .absent : .null }
        guard let value = E(rawValue: text) else {
            issues.add("invalid_value", field(key), "must be one of " + E.allCases.map(\.rawValue).joined(separator: ", "))
            return .absent
        }
        return .value(value)
    }

    /// An array of strings; each wrong element is reported at `key[i]`.
    mutating func strings(_ key: String) -> Member<[String]> {
        let member = read(key, expected: "an array") { $0.array }
        guard case .value(let elements) = member else { return member.isAbsent ? .absent : .null }
        var out: [String] = []
        for (i, element) in elements.enumerated() {
            if let text = element.string { out.append(text) } else {
                issues.add("invalid_type", field("\(key)[\(i)]"), "must be a string, not \(element.typeName)")
            }
        }
        return .value(out)
    }

    /// An object whose members are all strings.
    mutating func stringMap(_ key: String) -> Member<[(String, String)]> {
        let member = read(key, expected: "an object") { $0.object }
        guard case .value(let object) = member else { return member.isAbsent ? .absent : .null }
        var out: [(String, String)] = []
        for item in object.members {
            if let text = item.value.string { out.append((item.key, text)) } else {
                issues.add("invalid_type", field("\(key).\(item.key)"), "must be a string, not \(item.value.typeName)")
            }
        }
        return .value(out)
    }

    /// An array whose elements are objects, each given to `body` with its own reader.
    mutating func objects<T>(_ key: String, _ body: (inout ObjectReader) -> T) -> Member<[T]> {
        let member = read(key, expected: "an array") { $0.array }
        guard case .value(let elements) = member else { return member.isAbsent ? .absent : .null }
        var out: [T] = []
        for (i, element) in elements.enumerated() {
            let elementPath = field("\(key)[\(i)]")
            guard var reader = ObjectReader.object(element, field: elementPath, path: elementPath + ".", issues: issues) else { continue }
            out.append(body(&reader))
            reader.finish()
        }
        return .value(out)
    }

    /// A nested object given to `body` with its own reader.
    mutating func nested<T>(_ key: String, nullable: Bool = false, _ body: (inout ObjectReader) -> T) -> Member<T> {
        let member = raw(key)
        guard case .value(let value) = member else {
            if case .null = member, !nullable { issues.add("invalid_type", field(key), "must be an object, not null") }
            return member.isAbsent ? .absent : .null
        }
        guard var reader = ObjectReader.object(value, field: field(key), path: field(key) + ".", issues: issues) else { return .absent }
        let result = body(&reader)
        reader.finish()
        return .value(result)
    }

    /// Records a `required` issue when `member` is absent or null.
    func require<T>(_ member: Member<T>, _ key: String) {
        if member.isAbsent && !has(key) { issues.add("required", field(key), "is required") }
    }

    /// Reports unknown and duplicated members.
    func finish() {
        var seen = Set<String>()
        for key in object.keys {
            if !known.contains(key) {
                issues.add("unknown_field", field(key), "unknown field")
            } else if !seen.insert(key).inserted {
                issues.add("duplicate_field", field(key), "appears more than once")
            }
        }
    }
}

extension Member: Sendable where T: Sendable {}
