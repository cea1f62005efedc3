import HTTPCore

/// A request as the parser delivered it, for comparing outcomes.
struct ParsedRequest: Equatable {
    var method: String
    var target: String
    var body: [UInt8]
    var keepAlive: Bool
    var expectsContinue: Bool
    var headerCount: Int
}

/// What happened to a byte stream: requests parsed, then possibly an error status.
struct ParseOutcome: Equatable {
    var requests: [ParsedRequest] = []
    var errorStatus: Int?
}

/// Feeds `input` to a parser in pieces of the given sizes, the way a connection does:
/// unconsumed bytes are kept and offered again together with the next piece.
func parse(_ input: [UInt8], pieces: [Int]? = nil, limits: RequestParser.Limits = .init()) -> ParseOutcome {
    var parser = RequestParser(limits: limits)
    var outcome = ParseOutcome()
    var buffer: [UInt8] = []
    var offset = 0
    var current: ParsedRequest?
    var pieceSizes = pieces ?? [input.count]
    while offset < input.count || !pieceSizes.isEmpty {
        let size = pieceSizes.isEmpty ? input.count - offset : pieceSizes.removeFirst()
        let take = min(max(size, 0), input.count - offset)
        buffer += input[offset..<offset + take]
        offset += take
        do {
            while true {
                let step = try parser.next(buffer)
                switch step.event {
                case .head(let head):
                    current = ParsedRequest(method: head.method, target: head.target, body: [], keepAlive: head.keepAlive,
                                            expectsContinue: head.expectsContinue, headerCount: head.headers.count)
                case .body(let range):
                    current?.body += buffer[range]
                case .end:
                    if let done = current { outcome.requests.append(done) }
                    current = nil
                case nil:
                    break
                }
                buffer.removeFirst(step.consumed)
                if step.consumed == 0 && step.event == nil { break }
            }
        } catch {
            outcome.errorStatus = error.status
            return outcome
        }
        if offset >= input.count && pieceSizes.isEmpty { break }
    }
    return outcome
}

/// Deterministic split points so a failure can be reproduced.
struct SplitGenerator {
    var state: UInt64
    mutating func pieces(total: Int) -> [Int] {
        var result: [Int] = []
        var left = total
        while left > 0 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let size = Int((state >> 33) % 7) + 1
            result.append(min(size, left))
            left -= size
        }
        return result
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
