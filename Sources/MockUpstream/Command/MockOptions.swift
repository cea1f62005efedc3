import HTTPCore

/// `switchyard-mock` flags, parsed and validated before any socket opens.
public struct MockOptions: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port: UInt16 = 8090
    /// Event loop threads (default: one per core).
    public var threads = System.coreCount
    public var maxRecords = 100_000
    public var help = false

    public static let usage = """
        usage: switchyard-mock --port N [--host 127.0.0.1] [--threads N] [--max-records N]

        A fake OpenAI / Anthropic / Gemini upstream on one port (port 0: any free port).
        Prints "listening on HOST:PORT" first on stdout; exits 0 on SIGTERM or SIGINT.
        Faults: header X-Mock-Fault: {spec}, or POST /_mock/faults {"key","model","fault","times"}.
        Request log: GET /_mock/requests; DELETE /_mock/faults, DELETE /_mock/requests, POST /_mock/reset.
        """

    public init() {}

    /// Parses `arguments` (without the program name); every problem is reported at once.
    public static func parse(_ arguments: [String]) -> Result<MockOptions, MockUsageError> {
        var options = MockOptions()
        var problems: [String] = []
        var index = 0
        func value(_ flag: String) -> String? {
            index += 1
            guard index < arguments.count else {
                problems.append("\(flag) needs a value")
                return nil
            }
            return arguments[index]
        }
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--port":
                if let text = value(argument) {
                    if let port = UInt16(text) { options.port = port } else { problems.append("--port must be 0...65535, got '\(text)'") }
                }
            case "--host":
                if let text = value(argument) {
                    if ListenAddress(parsing: "\(text.contains(":") ? "[\(text)]" : text):0") != nil { options.host = text }
                    else { problems.append("--host must be an IP address, got '\(text)'") }
                }
            case "--threads":
                if let text = value(argument) {
                    if let count = Int(text), (1...256).contains(count) { options.threads = count } else { problems.append("--threads must be 1...256, got '\(text)'") }
                }
            case "--max-records":
                if let text = value(argument) {
                    if let count = Int(text), count >= 1 { options.maxRecords = count } else { problems.append("--max-records must be a positive integer, got '\(text)'") }
                }
            case "--help", "-h":
                options.help = true
            default:
                problems.append("unknown option '\(argument)'")
            }
            index += 1
        }
        return problems.isEmpty ? .success(options) : .failure(MockUsageError(problems: problems))
    }
}

/// Invalid command-line arguments, all of them.
public struct MockUsageError: Error, Sendable, Equatable {
    public let problems: [String]
}
