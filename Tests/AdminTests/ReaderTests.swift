import Foundation
import Store
@testable import Admin
import JSON
import Testing

@Suite struct ObjectReaderTests {
    @Test func readOnlyMembersMustHaveTheirDocumentedType() throws {
        let issues = Issues()
        var reader = ObjectReader(try #require(JSONValue.parse(#"{"created_at":{},"kind":"other","state":{}}"#).object), issues: issues)
        reader.readOnly("created_at", expected: "a string") { $0.string != nil }
        reader.readOnly("kind", expected: "api_key or oauth") { $0.string == "api_key" || $0.string == "oauth" }
        reader.readOnly("state", expected: "an object") { $0.object != nil }
        reader.finish()
        #expect(issues.all.compactMap(\.field) == ["created_at", "kind"])
    }
}

@Suite struct FailureBucketsTests {
    /// (seconds since start, expected decision) for one address with capacity 3, one try per 10 s.
    @Test func aBurstThenOneTryPerInterval() {
        var buckets = FailureBuckets(capacity: 3, refillInterval: 10)
        let start = Date(timeIntervalSince1970: 0)
        let table: [(Double, FailureBuckets.Decision)] = [
            (0, .unauthorized), (0, .unauthorized), (0, .unauthorized),
            (0, .limited(retryAfterSeconds: 10)), (4, .limited(retryAfterSeconds: 6)),
            (10, .unauthorized), (10, .limited(retryAfterSeconds: 10)),
            (45, .unauthorized), (45, .unauthorized), (45, .unauthorized), (45, .limited(retryAfterSeconds: 10)),
        ]
        for (i, (at, expected)) in table.enumerated() {
            #expect(buckets.failed(from: "10.0.0.1", now: start.addingTimeInterval(at)) == expected, "row \(i)")
        }
        // Another address has its own bucket.
        #expect(buckets.failed(from: "10.0.0.2", now: start.addingTimeInterval(45)) == .unauthorized)
    }

    @Test func forgetsRefilledAddressesBeyondTheLimit() {
        var buckets = FailureBuckets(capacity: 2, refillInterval: 1, maximumAddresses: 10)
        let start = Date(timeIntervalSince1970: 0)
        for i in 0..<50 { _ = buckets.failed(from: "a\(i)", now: start.addingTimeInterval(Double(i) * 5)) }
        #expect(buckets.buckets.count <= 10)
    }
}

@Suite struct ConfigurationCodecTests {
    @Test func nullSettingsAreRejected() throws {
        let document = try #require(JSONValue.parse(#"{"settings":null,"routes":null}"#).object)
        #expect(throws: AdminError.self) { try ConfigurationCodec.decode(document, current: Configuration(), now: Date()) }
        do {
            _ = try ConfigurationCodec.decode(document, current: Configuration(), now: Date())
        } catch {
            guard case .invalid(let issues) = error else { return }
            #expect(Set(issues.compactMap(\.field)) == ["settings", "routes"])
        }
        let empty = try ConfigurationCodec.decode(try #require(JSONValue.parse("{}").object), current: Configuration(), now: Date())
        #expect(empty == Configuration())
    }
}
