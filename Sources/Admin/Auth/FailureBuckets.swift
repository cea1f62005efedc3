import Foundation

/// Token buckets of wrong admin tokens per source address: each address may fail `capacity`
/// times in a burst, regaining one try every `refillInterval` seconds; past that it is told
/// to retry later. A state machine: events in (`failed`), decisions out, no I/O.
struct FailureBuckets {
    /// What to answer a wrong token.
    enum Decision: Equatable {
        /// 401: the failure was counted.
        case unauthorized
        /// 429: the address is out of tries for this many seconds.
        case limited(retryAfterSeconds: Int)
    }

    /// Tries left for one address, as of `updated`.
    struct Bucket {
        var tokens: Double
        var updated: Date
    }

    let capacity: Double
    let refillInterval: Double
    /// Most addresses tracked; beyond it, buckets that have refilled are forgotten first.
    let maximumAddresses: Int
    private(set) var buckets: [String: Bucket] = [:]

    init(capacity: Int = 10, refillInterval: Double = 6, maximumAddresses: Int = 10_000) {
        self.capacity = Double(capacity)
        self.refillInterval = refillInterval
        self.maximumAddresses = maximumAddresses
    }

    /// A wrong (or unknown) token arrived from `address` at `now`.
    mutating func failed(from address: String, now: Date) -> Decision {
        var bucket = refilled(buckets[address] ?? Bucket(tokens: capacity, updated: now), now: now)
        defer {
            buckets[address] = bucket
            if buckets.count > maximumAddresses { prune(now: now) }
        }
        guard bucket.tokens >= 1 else {
            return .limited(retryAfterSeconds: max(1, Int(((1 - bucket.tokens) * refillInterval).rounded(.up))))
        }
        bucket.tokens -= 1
        return .unauthorized
    }

    private func refilled(_ bucket: Bucket, now: Date) -> Bucket {
        let elapsed = max(0, now.timeIntervalSince(bucket.updated))
        return Bucket(tokens: min(capacity, bucket.tokens + elapsed / refillInterval), updated: now)
    }

    private mutating func prune(now: Date) {
        buckets = buckets.filter { refilled($0.value, now: now).tokens < capacity }
        while buckets.count > maximumAddresses, let any = buckets.keys.first { buckets[any] = nil }
    }
}
