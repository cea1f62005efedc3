/// Gemini's OpenAPI-style schemas (`parameters`, `responseSchema`) ↔ JSON Schema.
enum GeminiSchema {
    /// Lower-cases the OpenAPI type names (`OBJECT` → `object`) everywhere in the schema so that
    /// other dialects get standard JSON Schema, where OpenAPI's `nullable: true` (no JSON Schema
    /// keyword) becomes a `null` alternative of the type. Property names are never touched.
    static func toJSONSchema(_ schema: JSONValue) -> JSONValue {
        switch schema {
        case .object(let object):
            var out = JSONObject()
            out.members.reserveCapacity(object.count)
            let nullable = object["nullable"] == .bool(true)
            for member in object.members where member.key != "nullable" {
                if member.key == "type", case .string(let name) = member.value {
                    out.append("type", nullable ? .array([.string(name.lowercased()), .string("null")]) : .string(name.lowercased()))
                } else if member.key == "properties", case .object(let properties) = member.value {
                    out.append("properties", .object(JSONObject(properties.members.map {
                        JSONMember(key: $0.key, value: toJSONSchema($0.value))
                    })))
                } else {
                    out.append(member.key, toJSONSchema(member.value))
                }
            }
            return .object(out)
        case .array(let elements):
            return .array(elements.map(toJSONSchema))
        default:
            return schema
        }
    }

    /// The schema without its top-level `$schema` (the meta-schema's URL, which every Claude Code
    /// tool declares): Gemini's JSON Schema subset does not list it, and it says nothing of the shape.
    static func withoutMetaSchema(_ schema: JSONValue) -> JSONValue {
        guard case .object(var object) = schema, object["$schema"] != nil else { return schema }
        object["$schema"] = nil
        return .object(object)
    }
}
