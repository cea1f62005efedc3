import Foundation
import JSON
import Store

/// Client keys on the wire. The key itself appears once, in `key`, when the server generates
/// it; reads show `key_hint`.
enum ClientKeyCodec {
    /// Shortest key a client may supply itself (PUT or import); generated keys are `sy-` + 43.
    static let minimumSuppliedKeyLength = 24

    static func encode(_ key: ClientKey, revealing secret: Secret? = nil) -> JSONValue {
        var object: JSONObject = [
            "id": .string(key.id),
            "name": .string(key.name),
            "key_hint": .string(key.hint),
            "models": .strings(key.models),
            "enabled": .bool(key.enabled),
            "created_at": .string(Timestamps.format(key.createdAt)),
        ]
        if let secret { object.append("key", .string(secret.reveal())) }
        return .object(object)
    }

    /// The members of a client key as written; `key` optionally supplies the key itself.
    struct Input: Sendable {
        var name: Member<String>
        var models: Member<[String]>
        var enabled: Member<Bool>
        /// The id given in the body, if any.
        var id: String?
        /// A key chosen by the client; nil when absent or a masked hint (keep the stored key).
        var key: Secret?

        /// `storedHint` is the hint of the key stored under this id: sending it back keeps the key.
        static func read(_ reader: inout ObjectReader, id: String?, allowKey: Bool, storedHint: String?) -> Input {
            reader.readOnly("key_hint", expected: "a string") { $0.string != nil }
            reader.readOnly("created_at", expected: "a string") { $0.string != nil }
            let givenID = reader.string("id")
            if let id, let given = givenID.value, given != id {
                reader.issues.add("invalid_value", reader.field("id"), "must match the id in the path ('\(id)')")
            }
            var input = Input(name: reader.string("name"), models: reader.strings("models"), enabled: reader.bool("enabled"),
                              id: givenID.value, key: nil)
            let supplied = reader.string("key").value
            if let supplied, MaskedSecret.isMasked(supplied), supplied != storedHint {
                reader.issues.add("invalid_value", reader.field("key"), "is a masked hint that matches no stored key")
            }
            if !allowKey, let supplied, !MaskedSecret.isMasked(supplied) {
                reader.issues.add("invalid_value", reader.field("key"), "cannot be changed; create a new client key instead")
            }
            if allowKey, let text = supplied, !MaskedSecret.isMasked(text) {
                if text.count < minimumSuppliedKeyLength || text.contains(where: { $0.isWhitespace }) {
                    reader.issues.add("invalid_value", reader.field("key"),
                                      "must be at least \(minimumSuppliedKeyLength) characters without spaces")
                }
                input.key = Secret(text)
            }
            return input
        }

        /// Applies the given members to `key`.
        func apply(to key: inout ClientKey) {
            if let value = name.value { key.name = value }
            if let value = models.value { key.models = value }
            if let value = enabled.value { key.enabled = value }
            if let secret = self.key {
                key.keyHash = KeyHash(of: secret)
                key.hint = secret.hint
            }
        }
    }
}
