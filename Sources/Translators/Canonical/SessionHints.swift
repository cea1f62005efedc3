/// The request facts session affinity is computed from (SPEC §6); hashing stays with the caller.
extension RequestMetadata {
    /// The session id carried in Claude's `metadata.user_id`: the part after `_session_` in the
    /// `user_…_account_…_session_<uuid>` form, or the `session_id` of a JSON-object user id.
    public var claudeSessionID: String? {
        guard let userID, !userID.isEmpty else { return nil }
        if let range = lastRange(of: "_session_", in: userID) {
            let id = String(userID[range.upperBound...])
            return id.isEmpty ? nil : id
        }
        if userID.hasPrefix("{"), let value = try? JSONValue.parse(userID), let id = value["session_id"]?.string, !id.isEmpty {
            return id
        }
        return nil
    }

    private func lastRange(of needle: String, in text: String) -> Range<String.Index>? {
        var found: Range<String.Index>?
        var start = text.startIndex
        while let range = text[start...].firstRange(of: needle) {
            found = range
            start = range.upperBound
        }
        return found
    }
}

extension ChatRequest {
    /// The first system, user and assistant texts, each cut to `limit` characters: the
    /// fallback session fingerprint when no explicit session id is sent.
    public func affinityTexts(limit: Int = 100) -> (system: String?, user: String?, assistant: String?) {
        func firstText(_ parts: [ContentPart]) -> String? {
            for part in parts {
                if case .text(let text) = part, !text.text.isEmpty { return String(text.text.prefix(limit)) }
            }
            return nil
        }
        let system = firstText(self.system)
        let user = messages.lazy.filter { $0.role == .user }.compactMap { firstText($0.content) }.first
        let assistant = messages.lazy.filter { $0.role == .assistant }.compactMap { firstText($0.content) }.first
        return (system, user, assistant)
    }
}
