import JSON
import Store

/// Settings on the wire: the dotted paths of `Settings.fields` as nested objects.
enum SettingsCodec {
    static func encode(_ settings: Settings) -> JSONValue {
        var root = JSONObject()
        for field in Settings.fields {
            let parts = field.path.split(separator: ".").map(String.init)
            let value: JSONValue = switch field.value(in: settings) {
            case .integer(let i): .int(i)
            case .boolean(let b): .bool(b)
            case .string(let s): .string(s)
            }
            insert(value, at: parts[...], into: &root)
        }
        return .object(root)
    }

    private static func insert(_ value: JSONValue, at path: ArraySlice<String>, into object: inout JSONObject) {
        guard let head = path.first else { return }
        if path.count == 1 {
            object[head] = value
            return
        }
        var child = object[head]?.object ?? JSONObject()
        insert(value, at: path.dropFirst(), into: &child)
        object[head] = .object(child)
    }

    /// Merges the members of `object` (a PATCH, or a whole settings document over the defaults)
    /// into `settings`, recording every unknown path and bad value.
    static func merge(_ object: JSONObject, path: String = "", into settings: inout Settings, issues: Issues, prefix: String = "") {
        var seen = Set<String>()
        for member in object.members {
            let dotted = prefix + member.key
            let field = path + dotted
            if !seen.insert(member.key).inserted {
                issues.add("duplicate_field", field, "appears more than once")
                continue
            }
            if let leaf = Settings.field(dotted) {
                assign(member.value, to: leaf, field: field, settings: &settings, issues: issues)
            } else if Settings.fields.contains(where: { $0.path.hasPrefix(dotted + ".") }) {
                guard case .object(let nested) = member.value else {
                    issues.add("invalid_type", field, "must be an object, not \(member.value.typeName)")
                    continue
                }
                merge(nested, path: path, into: &settings, issues: issues, prefix: dotted + ".")
            } else {
                issues.add("unknown_field", field, "unknown field")
            }
        }
    }

    private static func assign(_ value: JSONValue, to leaf: SettingsField, field: String, settings: inout Settings, issues: Issues) {
        let converted: SettingsValue?
        switch (leaf.kind, value) {
        case (.integer, .number(let number)) where !number.literal.contains(".") && !number.literal.lowercased().contains("e"):
            converted = number.int.map { .integer($0) }
        case (.boolean, .bool(let b)): converted = .boolean(b)
        case (.choice, .string(let s)): converted = .string(s)
        default: converted = nil
        }
        guard let converted, !(converted.integerValue.map { $0 > maximumInteger } ?? false) else {
            let expected = switch leaf.kind {
            case .integer(let minimum): "an integer from \(minimum) to \(maximumInteger)"
            case .boolean: "a boolean"
            case .choice(let options): "one of " + options.joined(separator: ", ")
            }
            let code = converted == nil && !leaf.kind.accepts(value) ? "invalid_type" : "invalid_value"
            issues.add(code, field, "must be \(expected)")
            return
        }
        do {
            try leaf.assign(converted, to: &settings)
        } catch {
            if case .invalid(let found) = error { issues.add(store: found.map { ValidationIssue(field: field, message: $0.message) }) }
        }
    }

    /// Largest integer setting accepted (about 68 years in seconds).
    static let maximumInteger = 2_147_483_647
}

extension SettingsValue {
    var integerValue: Int? {
        if case .integer(let i) = self { return i }
        return nil
    }
}

extension SettingsField.Kind {
    /// Whether `value` has the JSON type this kind takes (its range aside).
    func accepts(_ value: JSONValue) -> Bool {
        switch (self, value) {
        case (.integer, .number), (.boolean, .bool), (.choice, .string): return true
        default: return false
        }
    }
}
