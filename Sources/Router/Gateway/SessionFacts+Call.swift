import HTTPCore
import Translators

extension SessionFacts {
    /// The session hints of a call, whatever format it came in.
    init(_ call: GatewayCall, _ http: HTTPRequest) {
        let facts = call.facts
        self.init(metadataUserID: facts.userID,
                  sessionHeader: http.headers["x-session-id"],
                  ampThreadID: http.headers["x-amp-thread-id"],
                  conversationID: facts.conversationID,
                  firstSystemText: facts.firstSystemText,
                  firstUserText: facts.firstUserText,
                  firstAssistantText: facts.firstAssistantText)
    }
}
