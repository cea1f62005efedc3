import Testing
import UpstreamHTTP

/// A request to the local test server with short timeouts and private addresses allowed.
func localRequest(_ server: TestServer, path: String = "/", method: String = "GET", body: [UInt8] = [],
                  headers: [(name: String, value: String)] = [],
                  timeouts: UpstreamTimeouts = UpstreamTimeouts(connect: .seconds(2), firstByte: .seconds(5),
                                                                idle: .seconds(5), total: .seconds(20)),
                  maxResponseBytes: Int = 64 << 20) -> UpstreamRequest {
    UpstreamRequest(method: method, url: server.url + path, headers: headers, body: body, timeouts: timeouts,
                    maxResponseBytes: maxResponseBytes, addressPolicy: .allowingPrivate)
}

/// Runs `body` and returns the UpstreamError it threw, or nil if it succeeded.
func upstreamError<T>(_ body: () async throws(UpstreamError) -> T) async -> UpstreamError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}

extension Array where Element == UInt8 {
    var text: String { String(decoding: self, as: UTF8.self) }
}

/// The two ways a plain-http request can travel; behaviour tests run against both.
enum Transport: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case native, curl

    var testDescription: String { rawValue }

    /// The client configuration forcing this transport.
    func configuration(bufferCapacity: Int = 256 << 10, maxIdleConnections: Int = 64) -> UpstreamClient.Configuration {
        .init(maxIdleConnections: maxIdleConnections, bufferCapacity: bufferCapacity, nativePlainHTTP: self == .native)
    }

    /// A client with its own loop using this transport.
    func client(bufferCapacity: Int = 256 << 10) throws -> UpstreamClient {
        try UpstreamClient(configuration: configuration(bufferCapacity: bufferCapacity))
    }
}
