import Foundation
import JSON
import Router
import Store

/// The client format a request to explain would arrive in.
enum ExplainFormat: String, CaseIterable {
    case openai, anthropic, gemini
}

/// The body of `POST /v1/explain`, read strictly (unknown members are a 422) and resolved
/// against the snapshot: the client key by id, the session id as the gateway would key it.
struct ExplainRequest {
    let model: String
    let format: ExplainFormat?
    let clientKey: ClientKey?
    let sessionID: String?

    /// Session ids as listed by `GET /v1/sessions` carry their source's prefix; any other value
    /// is taken as an `X-Session-ID` header.
    static let sessionSources: [(prefix: String, source: SessionSource)] = [
        ("claude:", .claudeSession), ("sid:", .sessionHeader), ("amp:", .ampThread), ("user:", .metadataUserID),
        ("conv:", .conversationID), ("h:", .messageHash),
    ]

    /// What the gateway would route.
    var routeRequest: RouteRequest {
        var name = model
        if format == .gemini, name.hasPrefix("models/") { name = String(name.dropFirst(7)) }
        return RouteRequest(model: name, clientKey: clientKey, session: sessionID.flatMap(Self.sessionKey))
    }

    static func sessionKey(_ id: String) -> SessionKey? {
        if let known = sessionSources.first(where: { id.hasPrefix($0.prefix) && id.count > $0.prefix.count }) {
            return SessionKey(ids: [id], source: known.source)
        }
        return SessionKey(SessionFacts(sessionHeader: id))
    }

    static func decode(_ object: JSONObject, snapshot: ConfigSnapshot) throws(AdminError) -> ExplainRequest {
        let issues = Issues()
        var reader = ObjectReader(object, issues: issues)
        let model = reader.string("model")
        var format: ExplainFormat?
        if reader.object["format"]?.isNull == true { _ = reader.raw("format") } else { format = reader.choice("format", ExplainFormat.self).value }
        let keyID = reader.string("client_key_id", nullable: true)
        let session = reader.string("session_id", nullable: true)
        reader.finish()
        reader.require(model, "model")
        if let name = model.value, name.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.add("invalid_value", "model", "must not be empty")
        }
        if let id = session.value, id.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            issues.add("invalid_value", "session_id", "must not be empty")
        }
        var clientKey: ClientKey?
        if let id = keyID.value {
            clientKey = snapshot.clientKeysByID[id]
            if clientKey == nil { issues.add("invalid_value", "client_key_id", "unknown client key '\(id)'") }
        }
        try issues.check()
        if let clientKey, !clientKey.enabled {
            throw .routing(status: 403, code: "client_key_disabled", message: "client key '\(clientKey.id)' is disabled",
                           field: "client_key_id")
        }
        return ExplainRequest(model: model.value ?? "", format: format, clientKey: clientKey, sessionID: session.value)
    }
}
