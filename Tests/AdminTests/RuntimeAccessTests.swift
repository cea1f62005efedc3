import Foundation
import Testing

@Suite struct RuntimeAccessTests {
    static let operations: [(String, String, String?)] = [
        ("GET", "/v1/status", nil), ("GET", "/v1/sessions", nil), ("DELETE", "/v1/sessions", nil),
        ("POST", "/v1/explain", #"{"model":"gpt-4o"}"#), ("GET", "/v1/usage", nil), ("GET", "/metrics", nil),
    ]

    @Test func everyRuntimeViewNeedsTheAdminToken() async throws {
        try await withRuntime { f in
            for (method, path, body) in Self.operations {
                let anonymous = f.admin.send(method, path, body, token: nil)
                #expect(anonymous.status == 401, "\(method) \(path)")
                #expect(anonymous.errorCode == "unauthorized")
                #expect(anonymous.header("WWW-Authenticate") != nil)
                #expect(f.admin.send(method, path, body, token: "wrong-token").status == 401, "\(method) \(path)")
                #expect(!anonymous.body.contains("switchyard_"), "\(method) \(path)")
            }
        }
    }

    @Test func withoutARuntimeTheViewsAre503() async throws {
        try await withAdmin { admin in
            for (method, path, body) in Self.operations {
                let reply = admin.send(method, path, body)
                #expect(reply.status == 503, "\(method) \(path)")
                #expect(reply.errorCode == "runtime_unavailable", "\(method) \(path)")
            }
        }
    }
}
