#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSON
import Synchronization

/// Severity of a log line.
public enum LogLevel: String, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.rank < rhs.rank }
}

/// Where log lines go: one method, so tests can capture lines in memory.
public protocol LogSink: Sendable {
    func write(_ line: [UInt8])
}

/// Writes each line to stderr with one `write(2)` (lines from threads never interleave).
public struct StandardErrorSink: LogSink {
    public init() {}
    public func write(_ line: [UInt8]) {
        line.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

/// Keeps lines in memory (tests).
public final class MemorySink: LogSink {
    private let lines = Mutex<[String]>([])
    public init() {}
    public func write(_ line: [UInt8]) { lines.withLock { $0.append(String(decoding: line, as: UTF8.self)) } }
    public var text: String { lines.withLock { $0.joined() } }
}

/// One JSON object per line: time, level, event, then the caller's fields in order.
/// Libraries receive a logger; they never create one.
public struct Logger: Sendable {
    public let level: LogLevel
    private let sink: any LogSink

    public init(level: LogLevel, sink: any LogSink = StandardErrorSink()) {
        self.level = level
        self.sink = sink
    }

    /// Whether lines of `severity` are written (check before building expensive fields).
    public func enabled(_ severity: LogLevel) -> Bool { severity >= level }

    public func log(_ severity: LogLevel, _ event: String, _ fields: KeyValuePairs<String, JSONValue> = [:]) {
        log(severity, event, fields: Array(fields))
    }

    public func log(_ severity: LogLevel, _ event: String, fields: [(String, JSONValue)]) {
        guard severity >= level else { return }
        var members = [JSONMember(key: "ts", value: .string(Self.timestamp())),
                       JSONMember(key: "level", value: .string(severity.rawValue)),
                       JSONMember(key: "event", value: .string(event))]
        for (key, value) in fields { members.append(JSONMember(key: key, value: value)) }
        var line = JSONValue.object(JSONObject(members)).serialized()
        line.append(0x0A)
        sink.write(line)
    }

    /// RFC 3339 UTC with milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
