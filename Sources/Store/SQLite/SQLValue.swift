/// A value bound to or read from SQLite.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    static func int(_ value: Int) -> SQLValue { .integer(Int64(value)) }
    static func bool(_ value: Bool) -> SQLValue { .integer(value ? 1 : 0) }
    static func optionalText(_ value: String?) -> SQLValue { value.map { .text($0) } ?? .null }
}

/// One result row, read by column index with typed accessors.
struct Row: Sendable {
    let values: [SQLValue]

    func string(_ index: Int) -> String {
        switch values[index] {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        case .blob(let b): return String(decoding: b, as: UTF8.self)
        case .null: return ""
        }
    }

    func optionalString(_ index: Int) -> String? {
        if case .null = values[index] { return nil }
        return string(index)
    }

    func int64(_ index: Int) -> Int64 {
        switch values[index] {
        case .integer(let i): return i
        case .real(let d): return Int64(d)
        case .text(let s): return Int64(s) ?? 0
        case .blob, .null: return 0
        }
    }

    func int(_ index: Int) -> Int { Int(int64(index)) }
    func bool(_ index: Int) -> Bool { int64(index) != 0 }

    func blob(_ index: Int) -> [UInt8] {
        switch values[index] {
        case .blob(let b): return b
        case .text(let s): return Array(s.utf8)
        default: return []
        }
    }
}
