import Foundation
import JSON
import TestSupport

/// Real `switchyard-mock` and `switchyard serve` processes on 127.0.0.1, provisioned through the
/// admin API as a user would. One database per stack; `restart` keeps it.
final class Stack: Sendable {
    static let adminToken = "e2e-admin-token-0123456789abcdef"

    let directory: URL
    let mock: ChildProcess
    let mockPort: UInt16
    private let server: LockedBox<(process: ChildProcess, gateway: UInt16, admin: UInt16)>

    var gatewayPort: UInt16 { server.value.gateway }
    var adminPort: UInt16 { server.value.admin }
    var switchyard: ChildProcess { server.value.process }

    /// Starts both processes; `provision` runs admin calls before the client key is created.
    init(extraFlags: [String] = [], provision: (Stack) async throws -> Void = { _ in }) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        mock = try ChildProcess("switchyard-mock", ["--port", "0"])
        mockPort = UInt16(try await mock.await(#"listening on 127\.0\.0\.1:(\d+)"#))!
        server = LockedBox(try await Self.startServer(directory: directory, extraFlags: extraFlags))
        try await provision(self)
        let created = try admin("POST", "/v1/client-keys", #"{"name":"e2e"}"#)
        guard created.status == 201, let key = try JSONValue.parse(created.body)["key"]?.string else {
            throw StackError.provisioning("client key: \(created.status) \(created.body)")
        }
        clientKeyBox.value = key
    }

    private let clientKeyBox = LockedBox("")
    var key: String { clientKeyBox.value }

    private static func startServer(directory: URL, extraFlags: [String]) async throws -> (ChildProcess, UInt16, UInt16) {
        try await ChildProcess.serve(["--db", directory.appendingPathComponent("switchyard.db").path, "--drain-timeout", "5"] + extraFlags,
                                     environment: ["SWITCHYARD_ADMIN_TOKEN": adminToken])
    }

    /// Stops the server with `signal` and starts it again on the same database.
    func restart(with signal: Int32) async throws {
        server.value.process.stop(signal)
        server.value = try await Self.startServer(directory: directory, extraFlags: [])
    }

    func stop() {
        server.value.process.stop()
        mock.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Calls

    /// One admin call with the admin token.
    @discardableResult
    func admin(_ method: String, _ path: String, _ body: String? = nil) throws -> FullResponse {
        try exchange(adminPort, method, path, headers: ["Authorization: Bearer \(Self.adminToken)"], body: body)
    }

    /// One gateway call with the client key where the SDK of `format` sends it.
    func gateway(_ path: String, _ body: String, format: String = "openai", method: String = "POST") throws -> FullResponse {
        let header = switch format {
        case "anthropic": "x-api-key: \(key)\r\nanthropic-version: 2023-06-01"
        case "gemini": "x-goog-api-key: \(key)"
        default: "Authorization: Bearer \(key)"
        }
        return try exchange(gatewayPort, method, path, headers: [header], body: body)
    }

    /// A mock control call.
    @discardableResult
    func mockControl(_ method: String, _ path: String, _ body: String? = nil) throws -> FullResponse {
        try exchange(mockPort, method, path, headers: [], body: body)
    }

    /// Scripts a fault on the mock for requests with `key` (and optionally `model`).
    func fault(key: String? = nil, model: String? = nil, times: Int? = nil, _ spec: String) throws {
        var fields: [String] = []
        if let key { fields.append(#""key":"\#(key)""#) }
        if let model { fields.append(#""model":"\#(model)""#) }
        if let times { fields.append(#""times":\#(times)"#) }
        fields.append(#""fault":\#(spec)"#)
        let response = try mockControl("POST", "/_mock/faults", "{" + fields.joined(separator: ",") + "}")
        guard response.status == 201 else { throw StackError.provisioning("fault: \(response.body)") }
    }

    /// The upstream keys the mock saw, in order.
    func upstreamKeys() throws -> [String] {
        let log = try JSONValue.parse(try mockControl("GET", "/_mock/requests").body)
        return log.array?.compactMap { $0["key"]?.string } ?? []
    }

    private func exchange(_ port: UInt16, _ method: String, _ path: String, headers: [String], body: String?) throws -> FullResponse {
        guard let response = rawExchange(port: port, method: method, path: path, headers: headers, body: body,
                                         receiveTimeout: 20) else {
            throw StackError.noResponse("\(method) \(path) on \(port)")
        }
        return response
    }
}

enum StackError: Error {
    case provisioning(String)
    case noResponse(String)
}

/// A value behind a lock, for the few fields a stack changes after start.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
