/// The members or elements of the containers being parsed, innermost last.
///
/// A finished container moves its slice out into an array of exactly its size, so every value
/// is stored once and moved once: no retain, release or copy per value, and one allocation per
/// container. (Slicing an `Array` stack copied each value and then destroyed the originals.)
/// Noncopyable and stored in the parser itself: a class here cost a retain and a release of the
/// stack around every push.
struct ParseStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>?
    private var capacity = 0
    private(set) var count = 0

    init() {}

    deinit {
        guard let base else { return }
        base.deinitialize(count: count)
        base.deallocate()
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base.unsafelyUnwrapped + count).initialize(to: element)
        count += 1
    }

    /// Moves the elements from `start` to the top out into a new array.
    mutating func popAll(from start: Int) -> [Element] {
        let moved = count - start
        guard moved > 0, let base else { return [] }
        count = start
        // `reserveCapacity` then `append`, because `Array(unsafeUninitializedCapacity:)` allocates
        // through an unspecialized runtime path that looks up generic metadata on every call.
        var result: [Element] = []
        result.reserveCapacity(moved)
        for offset in start..<(start + moved) { result.append((base + offset).move()) }
        return result
    }

    private mutating func grow() {
        // Sixteen values (640 bytes of members) stay under glibc's 1 KiB large-request size,
        // whose allocations first consolidate every free list that the previous document's
        // teardown filled.
        let newCapacity = max(16, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }
}
