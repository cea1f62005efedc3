import JSON
import Translators

/// Model lists and single models in each format: `GET /v1/models` (OpenAI, or Anthropic when
/// the client sends `anthropic-version`), `GET /v1/models/{id}`, `GET /v1beta/models[/{model}]`.
enum ModelListing {
    static func list(_ models: [ListedModel], dialect: Dialect) -> [UInt8] {
        let entries = models.map { entry($0, dialect: dialect) }
        switch dialect {
        case .gemini:
            return JSONValue.object(["models": .array(entries)]).serialized()
        case .anthropic:
            return JSONValue.object(["data": .array(entries), "has_more": false,
                                     "first_id": models.first.map { .string($0.id) } ?? .null,
                                     "last_id": models.last.map { .string($0.id) } ?? .null]).serialized()
        case .openai:
            return JSONValue.object(["object": "list", "data": .array(entries)]).serialized()
        }
    }

    static func single(_ model: ListedModel, dialect: Dialect) -> [UInt8] {
        entry(model, dialect: dialect).serialized()
    }

    private static func entry(_ model: ListedModel, dialect: Dialect) -> JSONValue {
        switch dialect {
        case .gemini:
            .object(["name": .string("models/\(model.id)"), "displayName": .string(model.id),
                     "supportedGenerationMethods": .array(["generateContent", "streamGenerateContent", "countTokens"])])
        case .anthropic:
            .object(["type": "model", "id": .string(model.id), "display_name": .string(model.id),
                     "created_at": "1970-01-01T00:00:00Z"])
        case .openai:
            .object(["id": .string(model.id), "object": "model", "created": 0, "owned_by": .string(model.ownedBy)])
        }
    }
}
