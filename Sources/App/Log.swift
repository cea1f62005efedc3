#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Severity of a log line.
public enum LogLevel: String, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}

/// Writes one JSON object per line to stderr; values are strings or numbers supplied by the caller.
public struct Logger: Sendable {
    public let level: LogLevel

    public init(level: LogLevel) {
        self.level = level
    }

    public func log(_ severity: LogLevel, _ event: String, _ fields: [String: any Sendable] = [:]) {
        guard severity >= level else { return }
        var object: [String: Any] = ["ts": ISO8601DateFormatter().string(from: Date()), "level": severity.rawValue, "event": event]
        for (key, value) in fields { object[key] = value }
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        data.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
    }
}
