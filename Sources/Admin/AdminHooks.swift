import Store
import Synchronization

/// Where the live router plugs into the admin API: callbacks run after a credential's health
/// state was reset, and an optional source of live health replacing the persisted records.
public final class AdminHooks: Sendable {
    /// Called with a credential id after `POST /v1/credentials/{id}/reset` cleared its stored state.
    public typealias ResetHandler = @Sendable (String) async -> Void
    /// The current health records (cooldowns) of every credential.
    public typealias HealthSource = @Sendable () async -> [ModelHealthRecord]

    private let resetHandlers = Mutex<[ResetHandler]>([])
    private let healthSource = Mutex<HealthSource?>(nil)

    public init() {}

    /// Registers a callback run on every credential reset (e.g. the router clearing its cooldowns).
    public func onCredentialReset(_ handler: @escaping ResetHandler) {
        resetHandlers.withLock { $0.append(handler) }
    }

    /// Makes credential reads show `source`'s live state instead of the persisted records.
    public func setHealthSource(_ source: @escaping HealthSource) {
        healthSource.withLock { $0 = source }
    }

    func credentialWasReset(_ id: String) async {
        for handler in resetHandlers.withLock({ $0 }) { await handler(id) }
    }

    func liveHealth(store: Store) async throws -> [ModelHealthRecord] {
        if let source = healthSource.withLock({ $0 }) { return await source() }
        return try await store.loadHealth()
    }
}
