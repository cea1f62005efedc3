/// The whole configuration: what `GET /v1/config` exports and `PUT /v1/config` replaces.
/// Lists keep their stored order (creation order, or document order after a replace).
public struct Configuration: Sendable, Equatable {
    public var providers: [Provider]
    public var credentials: [Credential]
    public var routes: [Route]
    public var clientKeys: [ClientKey]
    public var settings: Settings

    public init(providers: [Provider] = [], credentials: [Credential] = [], routes: [Route] = [],
                clientKeys: [ClientKey] = [], settings: Settings = Settings()) {
        self.providers = providers
        self.credentials = credentials
        self.routes = routes
        self.clientKeys = clientKeys
        self.settings = settings
    }
}
