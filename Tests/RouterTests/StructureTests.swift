import Testing
@testable import Router

/// The data structures that keep selection independent of the number of cooling credentials.
@Suite struct StructureTests {
    @Test func availabilitySetMatchesNaiveScan() {
        var random = SplitMix(seed: 7)
        for capacity in [1, 63, 64, 65, 4095, 4096, 4097, 10_000] {
            var set = AvailabilitySet(capacity: capacity)
            var naive = Array(repeating: false, count: capacity)
            for _ in 0..<(capacity / 2 + 1) {
                let i = Int(random.next() % UInt64(capacity))
                if random.next() % 3 == 0 { set.remove(i); naive[i] = false } else { set.insert(i); naive[i] = true }
            }
            #expect(set.count == naive.filter { $0 }.count)
            for _ in 0..<200 {
                let from = Int(random.next() % UInt64(capacity))
                let end = from + Int(random.next() % UInt64(capacity - from + 1))
                let expected = (from..<end).first { naive[$0] }
                #expect(set.next(from: from, end: end) == expected)
                let range = 0..<capacity
                let cyclic = (from..<capacity).first { naive[$0] } ?? (0..<from).first { naive[$0] }
                #expect(set.nextCyclic(in: range, from: from) == cyclic)
            }
        }
    }

    @Test func minHeapOrders() {
        var heap = MinHeap<Int>()
        var random = SplitMix(seed: 3)
        var values: [Int] = []
        for _ in 0..<500 {
            let v = Int(random.next() % 1000)
            heap.push(v)
            values.append(v)
        }
        var popped: [Int] = []
        while let v = heap.popMin() { popped.append(v) }
        #expect(popped == values.sorted())
    }

    /// Stale recovery entries are compacted; the earliest recovery stays right.
    @Test func recoveryHeapStaysBounded() {
        let members = (0..<10).map {
            PoolMember(credentialID: "c\($0)", model: "m", tier: 0, priority: 0, blockStart: $0, blockLength: 1)
        }
        var pool = SelectionPool(key: PoolKey(provider: "p", selector: .serving(model: "m")), members: members, excluded: [])
        let t0 = Fixture.t0
        for round in 0..<1000 {
            for i in 0..<10 {
                let until = t0.adding(seconds: 1000 - round + i)
                let cooldown = Cooldown(reason: .quota, since: t0, until: until)
                pool.refresh(i, .blocked(cooldown, retryAt: until, probing: false, key: HealthKey(credentialID: "c\(i)", model: "m")))
            }
        }
        #expect(pool.usable.count == 0)
        #expect(pool.earliestRecovery()?.member == 0)
        #expect(pool.earliestRecovery()?.info.retryAt == t0.adding(seconds: 1))
        pool.refresh(0, .available)
        #expect(pool.earliestRecovery()?.member == 1)
    }
}
