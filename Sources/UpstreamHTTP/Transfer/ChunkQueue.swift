/// FIFO of received body chunks with a running byte count; O(1) amortised push and pop.
struct ChunkQueue {
    private var chunks: [[UInt8]] = []
    private var head = 0
    /// Bytes currently queued.
    private(set) var byteCount = 0

    var isEmpty: Bool { head == chunks.count }

    mutating func push(_ chunk: [UInt8]) {
        chunks.append(chunk)
        byteCount += chunk.count
    }

    mutating func pop() -> [UInt8]? {
        guard head < chunks.count else { return nil }
        let chunk = chunks[head]
        chunks[head] = []
        head += 1
        byteCount -= chunk.count
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
        return chunk
    }

    mutating func removeAll() {
        chunks = []
        head = 0
        byteCount = 0
    }
}
