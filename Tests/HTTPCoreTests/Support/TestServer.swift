import HTTPCore
import Synchronization

/// A live server on 127.0.0.1, port 0, with routes that record what handlers saw.
final class TestServer: Sendable {
    let group: EventLoopGroup
    let server: HTTPServer
    let events = Events()
    /// What the server answered itself.
    let refusals = Refusals()

    final class Refusals: Sendable {
        private let state = Mutex<[HTTPRefusal]>([])
        func append(_ refusal: HTTPRefusal) { state.withLock { $0.append(refusal) } }
        var all: [HTTPRefusal] { state.withLock { $0 } }
    }

    /// What handlers observed, for assertions from the test thread.
    final class Events: Sendable {
        private let state = Mutex<[String]>([])
        func record(_ event: String) { state.withLock { $0.append(event) } }
        var all: [String] { state.withLock { $0 } }
        func count(_ event: String) -> Int { all.filter { $0 == event }.count }
    }

    init(_ configure: (inout ServerConfiguration) -> Void = { _ in }, routes extra: (inout HTTPRoutes, Events) -> Void = { _, _ in }) async throws {
        var configuration = ServerConfiguration(listen: ListenAddress(host: "127.0.0.1", port: 0))
        configure(&configuration)
        group = try EventLoopGroup(threads: 2)
        let events = self.events
        let refusals = self.refusals
        var routes = HTTPRoutes()
        routes.add("GET", "/echo/{name}") { request in
            events.record("handled")
            return .json(200, Array(#"{"name":"\#(request.pathParameters["name"] ?? "")"}"#.utf8))
        }
        routes.add("POST", "/echo") { request in
            events.record("handled")
            return HTTPResponse(status: 200, body: .bytes(request.body))
        }
        routes.add("GET", "/v1beta/models/{model}:generateContent") { request in
            .json(200, Array((request.pathParameters["model"] ?? "").utf8))
        }
        extra(&routes, events)
        server = HTTPServer(configuration: configuration, group: group, handler: routes.handler { error, _ in
            let status = (error as? HTTPRouteError)?.status ?? 500
            return .json(status, Array(#"{"error":"\#(status)"}"#.utf8))
        }, errorRenderer: { error, request in
            let status = (error as? HTTPServerError)?.status ?? 500
            return .json(status, Array(#"{"rendered":\#(status),"path":"\#(request.path)"}"#.utf8))
        }, onRefusal: { refusals.append($0) })
        try await server.start()
    }

    var port: UInt16 { server.port }

    func stop() async {
        await server.shutdown(drainTimeout: 0.1)
        group.shutdown()
    }
}

