import Foundation
import Store

/// What the router needs from a request to find its session, extracted by the gateway from
/// whichever format the client spoke. Text fields hold only the first message of each role.
public struct SessionFacts: Sendable, Equatable {
    /// Claude `metadata.user_id` (or any `metadata.user_id`).
    public var metadataUserID: String?
    /// The `X-Session-ID` header.
    public var sessionHeader: String?
    /// The `X-Amp-Thread-Id` header.
    public var ampThreadID: String?
    /// A `conversation_id` body field.
    public var conversationID: String?
    /// The first system text, first user text and first assistant text.
    public var firstSystemText: String?
    public var firstUserText: String?
    public var firstAssistantText: String?

    public init(metadataUserID: String? = nil, sessionHeader: String? = nil, ampThreadID: String? = nil,
                conversationID: String? = nil, firstSystemText: String? = nil, firstUserText: String? = nil,
                firstAssistantText: String? = nil) {
        self.metadataUserID = metadataUserID
        self.sessionHeader = sessionHeader
        self.ampThreadID = ampThreadID
        self.conversationID = conversationID
        self.firstSystemText = firstSystemText
        self.firstUserText = firstUserText
        self.firstAssistantText = firstAssistantText
    }
}

/// Where a session id came from (SPEC §6, first found wins, in this order).
public enum SessionSource: String, Sendable, Equatable {
    /// Claude `metadata.user_id` of the form `…_session_<uuid>`, or a JSON object with `session_id`.
    case claudeSession = "claude_session"
    /// The `X-Session-ID` header.
    case sessionHeader = "x_session_id"
    /// The `X-Amp-Thread-Id` header.
    case ampThread = "x_amp_thread_id"
    /// Any other `metadata.user_id`.
    case metadataUserID = "metadata_user_id"
    /// A `conversation_id` body field.
    case conversationID = "conversation_id"
    /// A hash of the first system, user and assistant texts.
    case messageHash = "message_hash"
}

/// The ids under which a request's session bindings are looked up, most specific first; new
/// bindings are written under the first. Message hashes give two ids: with and without the first
/// assistant text, so the second turn (which has one) inherits the first turn's binding.
public struct SessionKey: Sendable, Equatable {
    public let ids: [String]
    public let source: SessionSource

    public init(ids: [String], source: SessionSource) {
        self.ids = ids
        self.source = source
    }

    /// A session as stored in bindings and shown by `GET /v1/sessions` (`sid:…`, `claude:…`,
    /// `h:…`), e.g. the `session_id` of `POST /v1/explain`. A bare id is taken as `X-Session-ID`.
    public init(stored id: String) {
        let sources: [(String, SessionSource)] = [("claude:", .claudeSession), ("sid:", .sessionHeader), ("amp:", .ampThread),
                                                  ("user:", .metadataUserID), ("conv:", .conversationID), ("h:", .messageHash)]
        if let (_, source) = sources.first(where: { id.hasPrefix($0.0) }) {
            self.init(ids: [id], source: source)
        } else {
            self.init(ids: ["sid:" + id], source: .sessionHeader)
        }
    }

    /// The session of `facts`, or nil when there is nothing to identify it.
    public init?(_ facts: SessionFacts) {
        func clean(_ s: String?) -> String? {
            guard let s = s?.trimmingCharacters(in: .whitespacesAndNewlines), !s.isEmpty else { return nil }
            return String(s.prefix(256))
        }
        if let user = clean(facts.metadataUserID), let session = Self.claudeSession(user) {
            self.init(ids: ["claude:" + session], source: .claudeSession)
        } else if let header = clean(facts.sessionHeader) {
            self.init(ids: ["sid:" + header], source: .sessionHeader)
        } else if let thread = clean(facts.ampThreadID) {
            self.init(ids: ["amp:" + thread], source: .ampThread)
        } else if let user = clean(facts.metadataUserID) {
            self.init(ids: ["user:" + user], source: .metadataUserID)
        } else if let conversation = clean(facts.conversationID) {
            self.init(ids: ["conv:" + conversation], source: .conversationID)
        } else {
            let system = Self.leading(facts.firstSystemText)
            let user = Self.leading(facts.firstUserText)
            let assistant = Self.leading(facts.firstAssistantText)
            guard !system.isEmpty || !user.isEmpty else { return nil }
            let base = Self.hash([system, user])
            if assistant.isEmpty {
                self.init(ids: [base], source: .messageHash)
            } else {
                self.init(ids: [Self.hash([system, user, assistant]), base], source: .messageHash)
            }
        }
    }

    /// `user_abc_account_x_session_<uuid>` → the uuid; `{"session_id":"…"}` → its value.
    static func claudeSession(_ userID: String) -> String? {
        if userID.hasPrefix("{"), let data = userID.data(using: .utf8),
           let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let session = object["session_id"] as? String, !session.isEmpty {
            return String(session.prefix(128))
        }
        guard let marker = userID.range(of: "_session_", options: .backwards) else { return nil }
        let session = userID[marker.upperBound...]
        guard !session.isEmpty, session.count <= 128 else { return nil }
        return String(session)
    }

    /// A short, text-free id for message hashes (SHA-256, 16 bytes hex). Parts are
    /// length-prefixed so different splits cannot collide.
    static func hash(_ parts: [String]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(parts.reduce(0) { $0 + $1.utf8.count + 8 })
        for part in parts {
            bytes.append(contentsOf: String(part.utf8.count).utf8)
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: part.utf8)
        }
        return Digest.hex(Digest.sha256(bytes).prefix(16), prefix: "h:")
    }

    /// The first 100 characters of `text` (a text of at most 100 UTF-8 bytes has no more
    /// characters: it is taken whole without walking its grapheme clusters).
    private static func leading(_ text: String?) -> String {
        guard let text else { return "" }
        return text.utf8.count <= 100 ? text : String(text.prefix(100))
    }
}
