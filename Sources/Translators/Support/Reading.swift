/// Typed, path-aware readers for decoding request and response JSON.
struct Reader {
    let object: JSONObject
    /// Where this object sits, spelled out only for an error message.
    private let location: ReaderPath

    init(_ object: JSONObject, path: String) {
        self.init(object, location: .root(path))
    }

    private init(_ object: JSONObject, location: ReaderPath) {
        self.object = object
        self.location = location
    }

    /// Wraps `value`, which must be an object.
    init(_ value: JSONValue?, path: String) throws {
        try self.init(value, location: .root(path))
    }

    private init(_ value: JSONValue?, location: ReaderPath) throws {
        guard let value else { throw TranslationError.malformed(path: location.spelled, message: "is required") }
        guard case .object(let object) = value else {
            throw TranslationError.malformed(path: location.spelled, message: "must be an object, not \(value.typeName)")
        }
        self.init(object, location: location)
    }

    /// Path of this object for error messages (e.g. `messages[1]`).
    var path: String { location.spelled }

    func child(_ key: String) -> String { key.isEmpty ? path : path.isEmpty ? key : "\(path).\(key)" }

    func fail(_ key: String, _ message: String) -> TranslationError {
        .malformed(path: child(key), message: message)
    }

    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], !value.isNull else { return nil }
        return value
    }

    func has(_ key: String) -> Bool { value(key) != nil }

    func string(_ key: String) throws -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let string) = value else { throw fail(key, "must be a string, not \(value.typeName)") }
        return string
    }

    func requiredString(_ key: String) throws -> String {
        guard let string = try string(key) else { throw fail(key, "is required") }
        return string
    }

    func int(_ key: String) throws -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else { throw fail(key, "must be an integer, not \(value.typeName)") }
        return int
    }

    func double(_ key: String) throws -> Double? {
        guard let value = value(key) else { return nil }
        guard let double = value.double else { throw fail(key, "must be a number, not \(value.typeName)") }
        return double
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool else { throw fail(key, "must be a boolean, not \(value.typeName)") }
        return bool
    }

    func array(_ key: String) throws -> [JSONValue]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else { throw fail(key, "must be an array, not \(value.typeName)") }
        return array
    }

    func requiredArray(_ key: String) throws -> [JSONValue] {
        guard let array = try array(key) else { throw fail(key, "is required") }
        return array
    }

    func reader(_ key: String) throws -> Reader? {
        guard let value = value(key) else { return nil }
        return try Reader(value, location: .member(ReaderPathNode(location), key))
    }

    /// Each element of array `key` as an object reader (all checked to be objects up front).
    func objects(_ key: String) throws -> ObjectList {
        guard let array = try array(key) else { return ObjectList(elements: [], parent: nil, key: key) }
        // One node for this reader's path, shared by all the elements' paths.
        let parent = ReaderPathNode(location)
        for (offset, element) in array.enumerated() {
            if case .object = element { continue }
            _ = try Reader(element, location: .element(parent, key, offset)) // throws "must be an object"
        }
        return ObjectList(elements: array, parent: parent, key: key)
    }

    /// The elements of an array of objects, each wrapped in a reader when accessed: no array of
    /// readers is built and freed per call.
    struct ObjectList: RandomAccessCollection {
        let elements: [JSONValue]
        let parent: ReaderPathNode?
        let key: String

        var startIndex: Int { 0 }
        var endIndex: Int { elements.count }

        subscript(position: Int) -> Reader {
            guard case .object(let object) = elements[position], let parent else {
                preconditionFailure("objects(_:) checked every element")
            }
            return Reader(object, location: .element(parent, key, position))
        }
    }

    /// A string or an array of strings (OpenAI `stop`).
    func strings(_ key: String) throws -> [String] {
        guard let value = value(key) else { return [] }
        switch value {
        case .string(let single): return [single]
        case .array(let array):
            return try array.enumerated().map { offset, element in
                guard let string = element.string else {
                    throw TranslationError.malformed(path: "\(child(key))[\(offset)]", message: "must be a string")
                }
                return string
            }
        default: throw fail(key, "must be a string or an array of strings, not \(value.typeName)")
        }
    }
}

/// A reader's position in the document, kept as links so that nothing is spelled out unless
/// an error needs it.
enum ReaderPath: Sendable {
    case root(String)
    case member(ReaderPathNode, String)
    case element(ReaderPathNode, String, Int)

    var spelled: String {
        switch self {
        case .root(let path): return path
        case .member(let parent, let key):
            let base = parent.path.spelled
            return base.isEmpty ? key : base + "." + key
        case .element(let parent, let key, let index):
            let base = parent.path.spelled
            return (base.isEmpty ? key : base + "." + key) + "[\(index)]"
        }
    }
}

/// The parent link of a `ReaderPath`: a class rather than an `indirect` case so that all the
/// elements of one array share a single allocation instead of boxing one path each.
final class ReaderPathNode: Sendable {
    let path: ReaderPath

    init(_ path: ReaderPath) { self.path = path }
}

/// Parses a body, turning JSON syntax errors into `TranslationError.invalidJSON`.
func parseBody(_ bytes: [UInt8]) throws -> JSONObject {
    let value: JSONValue
    do { value = try JSONValue.parse(bytes) } catch { throw TranslationError.invalidJSON(error) }
    guard case .object(let object) = value else {
        throw TranslationError.malformed(path: "", message: "the body must be a JSON object, not \(value.typeName)")
    }
    return object
}

extension Reader {
    /// The member names not in `known` (nulls included), prefixed with `prefix`, in order.
    func unknownKeys(_ known: Set<String>, prefix: String = "") -> [String] {
        object.members.compactMap { known.contains($0.key) ? nil : prefix + $0.key }
    }

    /// Gemini accepts both lowerCamelCase and snake_case field names: the one present, camel first.
    func either(_ camel: String, _ snake: String) -> String {
        !object.containsKey(camel) && object.containsKey(snake) ? snake : camel
    }
}

extension JSONObject {
    /// Whether a member is named `key`: a lookup that copies no value (`self[key] != nil` copies
    /// and releases the value, which Gemini's two spellings of every field made a hot path).
    func containsKey(_ key: String) -> Bool {
        members.contains { $0.key == key }
    }
}
