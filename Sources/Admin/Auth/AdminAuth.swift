import Foundation
import HTTPCore
import Store
import Synchronization

/// Admin authentication: `Authorization: Bearer <admin token>`, checked in constant time
/// against the current snapshot before anything else, so the right token always works;
/// wrong tokens are counted per source address and answered 429 once its bucket is empty.
final class AdminAuth: Sendable {
    private let buckets: Mutex<FailureBuckets>
    private let now: @Sendable () -> Date

    init(buckets: FailureBuckets = FailureBuckets(), now: @escaping @Sendable () -> Date) {
        self.buckets = Mutex(buckets)
        self.now = now
    }

    /// Returns when `request` carries the admin token; throws `unauthorized` or `rateLimited`.
    func check(_ request: HTTPRequest, snapshot: ConfigSnapshot) throws(AdminError) {
        guard let token = Self.bearerToken(request.headers["Authorization"]) else {
            throw .unauthorized
        }
        if snapshot.isAdminToken(token) { return }
        let decision = buckets.withLock { $0.failed(from: request.remoteAddress, now: now()) }
        switch decision {
        case .unauthorized: throw .unauthorized
        case .limited(let seconds): throw .rateLimited(retryAfterSeconds: seconds)
        }
    }

    /// The token of a `Bearer` authorization (scheme case-insensitive), if any.
    static func bearerToken(_ header: String?) -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
