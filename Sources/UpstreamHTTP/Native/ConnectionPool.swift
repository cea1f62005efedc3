/// Idle keep-alive connections of one native driver, most recently used taken first.
///
/// A flat list: it holds at most `capacity` connections (the client's idle limit shared out
/// among loops), so a scan beats hashing and allocates nothing per request.
struct ConnectionPool {
    private var idle: [NativeConnection] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        idle.reserveCapacity(self.capacity + 1)
    }

    var count: Int { idle.count }

    /// Takes the most recently parked connection to `address`:`port`.
    mutating func take(_ address: IPAddress, port: UInt16) -> NativeConnection? {
        guard let index = idle.lastIndex(where: { $0.port == port && $0.address == address }) else { return nil }
        return idle.remove(at: index)
    }

    /// Parks `connection`; returns the oldest one evicted to stay within capacity (to be closed).
    mutating func put(_ connection: NativeConnection) -> NativeConnection? {
        idle.append(connection)
        return idle.count > capacity ? idle.removeFirst() : nil
    }

    /// Forgets `connection` (it closed while idle).
    mutating func remove(_ connection: NativeConnection) {
        if let index = idle.firstIndex(where: { $0 === connection }) { idle.remove(at: index) }
    }

    /// Empties the pool, returning what it held.
    mutating func removeAll() -> [NativeConnection] {
        defer { idle.removeAll() }
        return idle
    }
}
