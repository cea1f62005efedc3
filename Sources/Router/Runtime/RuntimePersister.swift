import Foundation
import Store
import Synchronization

/// Writes health states, backoff levels and session bindings to the Store in batches, off the
/// request path: the registry's change callback only signals; this service does the I/O.
public final class RuntimePersister: Sendable {
    private let store: Store
    private let signals: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation
    /// How long to gather changes after the first signal before writing them together.
    private let batchDelay: Duration
    /// Taking changes and writing them is one step that session deletion cannot interleave with,
    /// so a deleted binding is never written back by a batch taken before the deletion.
    private let writes = AsyncLock()
    /// Set from a signal until the batch it started is taken: every request changes the registry,
    /// and yielding to the stream each time costs more than the rest of the bookkeeping.
    private let pending = Atomic<Bool>(false)

    public init(store: Store, batchDelay: Duration = .milliseconds(200)) {
        self.store = store
        self.batchDelay = batchDelay
        (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Called (cheaply, from any thread) when the registry changed.
    public func signal() {
        guard pending.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        continuation.yield(())
    }

    /// Loads persisted state into the registry; cooldown deadlines stay absolute.
    public func restore(into registry: RoutingRegistry) async throws(StoreError) {
        let health = try await store.loadHealth()
        let bindings = try await store.loadSessionBindings(now: Date())
        registry.restore(health: health, bindings: bindings)
    }

    /// Writes batches until `finish` is called; then writes what is left.
    public func run(registry: RoutingRegistry) async {
        for await _ in signals {
            try? await Task.sleep(for: batchDelay)
            // Cleared before taking the changes: a change after this point signals again.
            pending.store(false, ordering: .sequentiallyConsistent)
            await flush(registry)
        }
        await flush(registry)
    }

    /// Stops `run` after a final write.
    public func finish() {
        continuation.finish()
    }

    /// Writes every pending change now.
    public func flush(_ registry: RoutingRegistry) async {
        await writes.withLock {
            let changes = registry.takeChanges()
            guard !changes.isEmpty else { return }
            do {
                try await store.saveHealth(changes.health, removing: changes.removedHealth.map { ($0.credentialID, $0.model) })
                if !changes.bindings.isEmpty { try await store.saveSessionBindings(changes.bindings, now: Date()) }
            } catch {
                // Lost runtime state only costs a probe after a restart; the next change retries.
            }
        }
    }

    /// `DELETE /v1/sessions`: removes matching bindings from the live registry and the Store;
    /// returns how many live bindings were removed.
    public func deleteSessions(in registry: RoutingRegistry, provider: String?, session: String?) async throws(StoreError) -> Int {
        do {
            return try await writes.withLock {
                let removed = registry.removeSessions(provider: provider, session: session)
                try await store.deleteSessionBindings(provider: provider, session: session)
                return removed
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .storage("session deletion failed")
        }
    }
}
