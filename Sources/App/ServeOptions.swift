import HTTPCore
import Logging

/// The settings of `switchyard serve`, from flags with environment twins (flags win).
public struct ServeOptions: Sendable, Equatable {
    public var listen = ListenAddress(host: "127.0.0.1", port: 8080)
    public var adminListen = ListenAddress(host: "127.0.0.1", port: 8081)
    public var databasePath = "./switchyard.db"
    public var configPath: String?
    public var logLevel = LogLevel.info
    public var maxBodyBytes = 33_554_432
    public var maxHeaderBytes = 32 * 1024
    public var maxHeaderCount = 100
    public var headerTimeout = 10.0
    public var idleTimeout = 60.0
    public var bodyTimeout = 30.0
    public var writeTimeout = 30.0
    public var maxConnections = 10_000
    public var drainTimeout = 30.0
    public var threads = System.coreCount
    /// Usage records older than this many days are pruned hourly; 0 keeps them forever.
    public var usageRetentionDays = 30

    public init() {}

    /// The server configuration both listeners share, for the given address.
    public func serverConfiguration(_ address: ListenAddress) -> ServerConfiguration {
        var configuration = ServerConfiguration(listen: address)
        configuration.maxBodyBytes = maxBodyBytes
        configuration.maxHeaderBytes = maxHeaderBytes
        configuration.maxHeaderCount = maxHeaderCount
        configuration.headerTimeout = headerTimeout
        configuration.idleTimeout = idleTimeout
        configuration.bodyTimeout = bodyTimeout
        configuration.writeTimeout = writeTimeout
        configuration.maxConnections = maxConnections
        return configuration
    }
}

/// One option: its flag, environment twin, help text, and how it sets its value.
struct OptionSpec: Sendable {
    let flag: String
    let environment: String?
    let help: String
    let apply: @Sendable (inout ServeOptions, String) -> String?

    /// An option whose value is parsed by `parse` (nil means invalid, with `expected` in the message).
    static func value<T>(_ flag: String, _ environment: String?, _ help: String, expected: String,
                         _ parse: @escaping @Sendable (String) -> T?,
                         _ keyPath: WritableKeyPath<ServeOptions, T> & Sendable) -> OptionSpec {
        OptionSpec(flag: flag, environment: environment, help: help) { options, text in
            guard let value = parse(text) else { return "invalid value '\(text)' for \(flag): expected \(expected)" }
            options[keyPath: keyPath] = value
            return nil
        }
    }
}

/// Strictly positive numbers of seconds, at most a day.
private func seconds(_ text: String) -> Double? {
    guard let value = Double(text), value.isFinite, value > 0, value <= 86_400 else { return nil }
    return value
}

private func positiveInt(_ limit: Int) -> @Sendable (String) -> Int? {
    { text in
        guard let value = Int(text), value > 0, value <= limit else { return nil }
        return value
    }
}

extension ServeOptions {
    static let specs: [OptionSpec] = [
        .value("--listen", "SWITCHYARD_LISTEN", "gateway address HOST:PORT (default 127.0.0.1:8080)",
               expected: "HOST:PORT", ListenAddress.init(parsing:), \.listen),
        .value("--admin-listen", "SWITCHYARD_ADMIN_LISTEN", "admin API address HOST:PORT (default 127.0.0.1:8081)",
               expected: "HOST:PORT", ListenAddress.init(parsing:), \.adminListen),
        .value("--db", "SWITCHYARD_DB", "SQLite database path (default ./switchyard.db)",
               expected: "a file path", { $0.isEmpty ? nil : $0 }, \.databasePath),
        .value("--config", nil, "declarative JSON configuration applied at start",
               expected: "a file path", { $0.isEmpty ? nil : Optional($0) }, \.configPath),
        .value("--log-level", "SWITCHYARD_LOG_LEVEL", "debug, info, warning or error (default info)",
               expected: "debug, info, warning or error", LogLevel.init(rawValue:), \.logLevel),
        .value("--max-body-bytes", "SWITCHYARD_MAX_BODY_BYTES", "largest request body; 413 past it (default 33554432)",
               expected: "a positive integer up to 1073741824", positiveInt(1 << 30), \.maxBodyBytes),
        .value("--max-header-bytes", "SWITCHYARD_MAX_HEADER_BYTES", "largest request head; 431 past it (default 32768)",
               expected: "an integer from 1024 to 1048576", { Int($0).flatMap { (1024...1_048_576).contains($0) ? $0 : nil } }, \.maxHeaderBytes),
        .value("--max-headers", "SWITCHYARD_MAX_HEADERS", "most header fields in a request; 431 past it (default 100)",
               expected: "a positive integer up to 10000", positiveInt(10_000), \.maxHeaderCount),
        .value("--header-timeout", "SWITCHYARD_HEADER_TIMEOUT", "seconds to receive a request head (default 10)",
               expected: "seconds > 0", seconds, \.headerTimeout),
        .value("--idle-timeout", "SWITCHYARD_IDLE_TIMEOUT", "keep-alive idle seconds (default 60)",
               expected: "seconds > 0", seconds, \.idleTimeout),
        .value("--body-timeout", "SWITCHYARD_BODY_TIMEOUT", "seconds without progress reading a body (default 30)",
               expected: "seconds > 0", seconds, \.bodyTimeout),
        .value("--write-timeout", "SWITCHYARD_WRITE_TIMEOUT", "seconds without progress writing to a client (default 30)",
               expected: "seconds > 0", seconds, \.writeTimeout),
        .value("--max-connections", "SWITCHYARD_MAX_CONNECTIONS", "open connections per listener (default 10000)",
               expected: "a positive integer up to 1000000", positiveInt(1_000_000), \.maxConnections),
        .value("--drain-timeout", "SWITCHYARD_DRAIN_TIMEOUT", "seconds to finish in-flight work on shutdown (default 30)",
               expected: "seconds > 0", seconds, \.drainTimeout),
        .value("--threads", "SWITCHYARD_THREADS", "event loop threads (default: one per core)",
               expected: "a positive integer up to 256", positiveInt(256), \.threads),
        .value("--usage-retention-days", "SWITCHYARD_USAGE_RETENTION_DAYS", "days of usage records kept; 0 keeps all (default 30)",
               expected: "an integer from 0 to 36500", { Int($0).flatMap { (0...36_500).contains($0) ? $0 : nil } }, \.usageRetentionDays),
    ]

    /// Parses flags over environment over defaults, collecting every error before reporting.
    public static func parse(_ arguments: [String], environment: [String: String]) -> Result<ServeOptions, OptionErrors> {
        var options = ServeOptions()
        var errors: [String] = []
        for spec in specs {
            if let name = spec.environment, let value = environment[name], let error = spec.apply(&options, value) {
                errors.append("\(name): \(error)")
            }
        }
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            var flag = argument, inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                flag = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            guard let spec = specs.first(where: { $0.flag == flag }) else {
                errors.append("unknown option '\(argument)'")
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                errors.append("missing value for \(flag)")
                continue
            }
            if let error = spec.apply(&options, value) { errors.append(error) }
        }
        if options.listen == options.adminListen && options.listen.port != 0 {
            errors.append("--listen and --admin-listen must differ (both \(options.listen))")
        }
        return errors.isEmpty ? .success(options) : .failure(OptionErrors(messages: errors))
    }

    static var usage: String {
        var text = "usage: switchyard serve [options]\n\noptions (each also settable by the environment variable shown):\n"
        for spec in specs {
            text += "  \(spec.flag) VALUE".padding(28) + spec.help + (spec.environment.map { " [\($0)]" } ?? "") + "\n"
        }
        return text
    }
}

/// Every problem found in the command line, reported together.
public struct OptionErrors: Error, Equatable, Sendable {
    public var messages: [String]
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
