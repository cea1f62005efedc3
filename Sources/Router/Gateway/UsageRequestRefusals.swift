import Synchronization

/// The (provider, upstream model) pairs whose server refused `stream_options`, shared by every
/// request until a restart.
final class UsageRequestRefusals: Sendable {
    private let targets = Mutex<Set<[String]>>([])

    func contains(_ target: AttemptLoop.Target) -> Bool { targets.withLock { $0.contains([target.provider.name, target.model]) } }
    func insert(_ target: AttemptLoop.Target) { _ = targets.withLock { $0.insert([target.provider.name, target.model]) } }
}
