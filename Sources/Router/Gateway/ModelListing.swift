import JSON
import Translators

/// `GET /v1/models` and `GET /v1beta/models` bodies in each format.
enum ModelListing {
    static func body(_ models: [ListedModel], dialect: Dialect) -> [UInt8] {
        switch dialect {
        case .gemini:
            let entries: [JSONValue] = models.map { model in
                .object(["name": .string("models/\(model.id)"), "displayName": .string(model.id),
                         "supportedGenerationMethods": .array(["generateContent", "streamGenerateContent", "countTokens"])])
            }
            return JSONValue.object(["models": .array(entries)]).serialized()
        case .openai, .anthropic:
            let entries: [JSONValue] = models.map { model in
                .object(["id": .string(model.id), "object": "model", "created": 0, "owned_by": .string(model.ownedBy)])
            }
            return JSONValue.object(["object": "list", "data": .array(entries)]).serialized()
        }
    }
}
