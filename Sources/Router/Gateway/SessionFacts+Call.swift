import HTTPCore
import Translators

extension SessionFacts {
    /// The session hints of a decoded call, whatever format it came in.
    init(_ call: GatewayCall, _ http: HTTPRequest) {
        let request = call.request
        func firstText(_ role: Role) -> String? {
            request.messages.first { $0.role == role }?.content.lazy.compactMap(\.textValue).first
        }
        self.init(metadataUserID: request.metadata.userID,
                  sessionHeader: http.headers["x-session-id"],
                  ampThreadID: http.headers["x-amp-thread-id"],
                  conversationID: request.metadata.conversationID,
                  firstSystemText: request.system.lazy.compactMap(\.textValue).first,
                  firstUserText: firstText(.user),
                  firstAssistantText: firstText(.assistant))
    }
}
