import Synchronization

/// Every API request the mock received, in arrival order, for assertions (`GET /_mock/requests`).
///
/// Bounded: past `capacity` the oldest records are dropped, so a benchmark cannot grow it
/// without limit; `total` still counts them all.
final class RequestLog: Sendable {
    /// One received request.
    struct Record: Sendable {
        let method: String
        let path: String
        let api: MockAPI
        let key: String?
        let model: String?
        let bodySHA256: String
        let stream: Bool
        /// The fault applied, as JSON text, if any.
        let fault: String?

        var json: String {
            "{\"method\":\(JSONText.quote(method)),\"path\":\(JSONText.quote(path)),\"api\":\"\(api.rawValue)\","
                + "\"key\":\(JSONText.quote(key)),\"model\":\(JSONText.quote(model)),\"body_sha256\":\"\(bodySHA256)\","
                + "\"stream\":\(stream),\"fault\":\(fault ?? "null")}"
        }
    }

    private let capacity: Int
    private let state = Mutex<(records: [Record], start: Int, total: Int)>(([], 0, 0))

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func append(_ record: Record) {
        state.withLock { state in
            state.total += 1
            if state.records.count < capacity {
                state.records.append(record)
            } else {
                state.records[state.start] = record
                state.start = (state.start + 1) % capacity
            }
        }
    }

    /// The kept records, oldest first.
    var records: [Record] {
        state.withLock { state in Array(state.records[state.start...] + state.records[..<state.start]) }
    }

    /// Requests received since the last clear, including dropped records.
    var total: Int { state.withLock { $0.total } }

    func clear() { state.withLock { $0 = ([], 0, 0) } }

    /// `[{...}, ...]` of the kept records.
    var json: String { "[" + records.map(\.json).joined(separator: ",") + "]" }
}
