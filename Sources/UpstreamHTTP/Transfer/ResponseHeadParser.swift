/// Turns the header lines curl reports into the final response head, skipping 1xx heads and
/// ignoring trailers. A value-type state machine: one line in, at most one head out.
struct ResponseHeadParser {
    private enum State {
        /// Waiting for a status line.
        case awaitingStatus
        /// Collecting the fields of a head with this status.
        case fields(status: Int, fields: ResponseHeaderFields)
        /// The final head was produced; later lines are trailers.
        case done
    }

    private var state = State.awaitingStatus

    /// Feeds one line (with or without its CRLF); returns the head when the final one completes.
    mutating func feed(_ raw: UnsafeBufferPointer<UInt8>) -> ResponseHead? {
        var line = raw[...]
        while let last = line.last, last == 0x0A || last == 0x0D { line = line.dropLast() }
        switch state {
        case .done:
            return nil
        case .awaitingStatus:
            if let status = Self.status(of: line) { state = .fields(status: status, fields: ResponseHeaderFields()) }
            return nil
        case .fields(let status, var fields):
            if line.isEmpty {
                if (100..<200).contains(status) && status != 101 {
                    state = .awaitingStatus
                    return nil
                }
                state = .done
                return ResponseHead(status: status, fields: fields)
            }
            if let first = line.first, first == 0x20 || first == 0x09, !fields.isEmpty {
                // Obsolete line folding: continue the previous value.
                fields.continueLast(Self.trimmed(line))
            } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
                fields.append(name: line[..<colon], value: Self.trimmed(line[(colon + 1)...]))
            }
            state = .fields(status: status, fields: fields)
            return nil
        }
    }

    /// "HTTP/1.1 200 OK" → 200.
    private static func status(of line: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard line.starts(with: "HTTP/".utf8) else { return nil }
        let parts = line.split(separator: 0x20, maxSplits: 2)
        guard parts.count >= 2, parts[1].count == 3 else { return nil }
        var code = 0
        for byte in parts[1] {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            code = code * 10 + Int(byte - 0x30)
        }
        return code
    }

    private static func trimmed(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Slice<UnsafeBufferPointer<UInt8>> {
        var value = bytes
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        return value
    }
}
