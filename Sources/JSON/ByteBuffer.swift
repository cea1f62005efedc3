/// Growable output bytes written through a raw pointer.
///
/// Appending is a capacity check and a store or `memcpy`, where `Array.append` pays a uniqueness
/// check per byte and a generic sequence copy per run; the serializers make a few hundred small
/// appends per request body, and that overhead was the largest single cost of encoding.
struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// A copy of the bytes written so far as an array.
    var array: [UInt8] { Array(bytes) }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(to: count + 1) }
        base[count] = byte
        count += 1
    }

    @inline(__always)
    mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        guard let start = run.baseAddress else { return }
        if capacity - count < run.count { grow(to: count + run.count) }
        (base + count).initialize(from: start, count: run.count)
        count += run.count
    }

    /// Appends a constant's UTF-8.
    @inline(__always)
    mutating func append(static text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Appends a string's UTF-8 as it is (the caller knows it needs no escaping).
    mutating func append(literal text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    @inline(never)
    private mutating func grow(to needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
