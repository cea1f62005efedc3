import Foundation
import JSON
import Logging
import Store
import Synchronization
import UpstreamHTTP

/// Keeps OAuth access tokens fresh: refreshes each credential shortly before it expires (in the
/// background and on demand), one refresh in flight per credential however many requests need
/// it, the rotated refresh token persisted before the new access token is used, and failures
/// backed off per credential.
public final class OAuthRefresher: Sendable {
    /// Refresh this long before expiry.
    public static let leadSeconds: Double = 300
    /// At most this many refreshes run at once in a background pass.
    static let maxConcurrent = 4

    private let store: Store
    private let client: UpstreamClient
    private let now: @Sendable () -> Date
    private let log: Logger?
    private let inFlight = Mutex<[String: Task<Credential?, Never>]>([:])
    private let failures = Mutex<[String: (count: Int, retryAt: Date)]>([:])

    public init(store: Store, client: UpstreamClient, log: Logger? = nil, now: @escaping @Sendable () -> Date = { Date() }) {
        self.store = store
        self.client = client
        self.log = log
        self.now = now
    }

    /// The credential with a usable access token: refreshed first when it expires within the
    /// lead time (joining a refresh already in flight). Non-OAuth credentials come back as they are.
    public func fresh(_ credential: Credential) async -> Credential {
        guard case .oauth(let token) = credential.secret, needsRefresh(token, id: credential.id) else { return credential }
        return await refresh(credential.id) ?? credential
    }

    /// One background pass over every OAuth credential close to expiry.
    public func refreshDue() async {
        let due = store.snapshot.credentials.filter { credential in
            guard credential.enabled, case .oauth(let token) = credential.secret else { return false }
            return needsRefresh(token, id: credential.id)
        }
        await withTaskGroup(of: Void.self) { group in
            for (index, credential) in due.enumerated() {
                if index >= Self.maxConcurrent { await group.next() }
                group.addTask { _ = await self.refresh(credential.id) }
            }
        }
    }

    /// Runs background passes every `interval` until cancelled.
    public func run(every interval: Duration = .seconds(30)) async {
        while !Task.isCancelled {
            await refreshDue()
            try? await Task.sleep(for: interval)
        }
    }

    private func needsRefresh(_ token: OAuthToken, id: String) -> Bool {
        guard token.refreshToken != nil, token.tokenURL != nil, let expiry = token.expiresAt else { return false }
        if let failure = failures.withLock({ $0[id] }), failure.retryAt > now() { return false }
        return expiry.timeIntervalSince(now()) < Self.leadSeconds
    }

    /// Single-flight: concurrent callers for one credential share one refresh.
    private func refresh(_ id: String) async -> Credential? {
        let task = inFlight.withLock { tasks -> Task<Credential?, Never> in
            if let running = tasks[id] { return running }
            let task = Task { await self.performRefresh(id) }
            tasks[id] = task
            return task
        }
        let result = await task.value
        inFlight.withLock { tasks in
            if tasks[id] == task { tasks[id] = nil }
        }
        return result
    }

    private func performRefresh(_ id: String) async -> Credential? {
        guard let credential = store.snapshot.credentialsByID[id], case .oauth(let token) = credential.secret,
              let refreshToken = token.refreshToken, let tokenURL = token.tokenURL else { return nil }
        let provider = store.snapshot.providersByName[credential.provider]
        var form = "grant_type=refresh_token&refresh_token=\(PercentEncoding.unreserved(refreshToken.reveal()))"
        if let clientID = token.clientID { form += "&client_id=\(PercentEncoding.unreserved(clientID))" }
        let request = UpstreamRequest(method: "POST", url: tokenURL,
                                      headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                                      body: Array(form.utf8),
                                      timeouts: UpstreamTimeouts(connect: .seconds(10), firstByte: .seconds(30), idle: .seconds(30), total: .seconds(60)),
                                      maxResponseBytes: 1 << 20,
                                      addressPolicy: provider?.allowPrivateNetwork == true ? .allowingPrivate : .publicOnly)
        do {
            let response = try await client.send(request)
            let body = try await response.body.collect()
            guard (200..<300).contains(response.status), let grant = TokenGrant(body, issuedAt: now()) else {
                return recordFailure(id)
            }
            let refreshed = OAuthToken(accessToken: Secret(grant.accessToken),
                                       refreshToken: grant.refreshToken.map(Secret.init) ?? token.refreshToken,
                                       expiresAt: grant.expiresAt, tokenURL: token.tokenURL, clientID: token.clientID)
            // Persisted (and the snapshot swapped) before anyone uses the new access token.
            let stored = try await store.updateCredential(id: id) { $0.secret = .oauth(refreshed) }
            failures.withLock { $0[id] = nil }
            log?.log(.info, "oauth_refreshed", ["credential_id": .string(id)])
            return stored
        } catch {
            return recordFailure(id)
        }
    }

    /// Backs off 30 s · 2^n, capped at 30 minutes.
    private func recordFailure(_ id: String) -> Credential? {
        let moment = now()
        let retry = failures.withLock { table -> Date in
            let count = (table[id]?.count ?? 0) + 1
            table[id] = (count, moment.addingTimeInterval(min(1800, 30 * pow(2, Double(count - 1)))))
            return table[id]!.retryAt
        }
        log?.log(.warning, "oauth_refresh_failed", ["credential_id": .string(id),
                                                    "retry_in_seconds": .number(JSONNumber(Int(retry.timeIntervalSince(moment))))])
        return nil
    }

    /// Credentials whose last refresh failed, with when the next try is due (for status views).
    public func failedRefreshes() -> [String: Date] {
        failures.withLock { $0.mapValues(\.retryAt) }
    }
}

/// The fields of an OAuth token response (RFC 6749 §5.1).
struct TokenGrant {
    let accessToken: String
    let refreshToken: String?
    let expiresAt: Date?

    init?(_ body: [UInt8], issuedAt: Date) {
        guard let json = try? JSONValue.parse(body), let access = json["access_token"]?.string, !access.isEmpty else { return nil }
        accessToken = access
        refreshToken = json["refresh_token"]?.string
        expiresAt = json["expires_in"]?.double.map { issuedAt.addingTimeInterval($0) }
    }
}
