// libFuzzer entry for the HTTP request parser. Built with swiftc directly (see scripts/fuzz.sh)
// together with Sources/HTTPCore/Parser/*.swift, which depend on nothing but the stdlib.

/// Everything one feeding of the parser produced, for comparing feedings.
struct FuzzOutcome: Equatable {
    var heads: [String] = []
    var body: [UInt8] = []
    var ends = 0
    var error: Int?
}

/// Feeds `input` in pieces of at most `piece` bytes the way a connection does.
func feed(_ input: [UInt8], piece: Int) -> FuzzOutcome {
    let limits = RequestParser.Limits(maxHeaderBytes: 1024, maxHeaderCount: 16, maxBodyBytes: 2048)
    var parser = RequestParser(limits: limits)
    var outcome = FuzzOutcome()
    var buffer: [UInt8] = []
    var offset = 0
    while offset < input.count {
        let end = min(input.count, offset + piece)
        buffer += input[offset..<end]
        offset = end
        while true {
            let step: RequestParser.Step
            do {
                step = try parser.next(buffer)
            } catch {
                outcome.error = error.status
                return outcome
            }
            switch step.event {
            case .head(let head): outcome.heads.append("\(head.method) \(head.target) \(head.framing) \(head.keepAlive)")
            case .body(let range):
                precondition(range.lowerBound >= 0 && range.upperBound <= buffer.count, "body range outside the buffer")
                outcome.body += buffer[range]
            case .end: outcome.ends += 1
            case nil: break
            }
            precondition(step.consumed >= 0 && step.consumed <= buffer.count, "consumed more than offered")
            buffer.removeFirst(step.consumed)
            if step.consumed == 0 && step.event == nil { break }
        }
    }
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = feed(input, piece: max(input.count, 1))
    // The outcome must not depend on how the bytes were split.
    for piece in [1, 2, 3, 7, 64] {
        precondition(feed(input, piece: piece) == whole, "outcome depends on split size \(piece)")
    }
    return 0
}
