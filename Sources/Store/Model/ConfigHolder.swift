import Synchronization

/// Holds the current `ConfigSnapshot`; readers take the whole snapshot under a short lock and
/// never see a half-applied change.
public final class ConfigHolder: Sendable {
    private let state: Mutex<ConfigSnapshot>

    public init(_ initial: ConfigSnapshot = .empty) {
        state = Mutex(initial)
    }

    /// The snapshot in force now. Read it once per request and keep using that value.
    public var current: ConfigSnapshot { state.withLock { $0 } }

    /// Installs `snapshot` unless a newer one is already in place.
    func install(_ snapshot: ConfigSnapshot) {
        state.withLock { current in
            if snapshot.version >= current.version { current = snapshot }
        }
    }
}
