import Admin
import Foundation
import Store
import Testing

@Suite struct OpenAPITests {
    /// (METHOD, path) pairs documented under `paths:` (a line-based reading of the YAML:
    /// paths at two spaces of indentation, methods at four).
    static func documentedOperations() throws -> Set<String> {
        let text = try String(contentsOf: RepositoryFiles.url("openapi.yaml"), encoding: .utf8)
        var operations = Set<String>()
        var inPaths = false
        var path: String?
        let methods: Set<String> = ["get", "put", "post", "patch", "delete", "head", "options"]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            if inPaths, let first = line.first, first != " ", first != "#" { inPaths = false }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = String(line.dropFirst(4).dropLast())
                if methods.contains(method), let path { operations.insert(method.uppercased() + " " + path) }
            }
        }
        return operations
    }

    @Test func everyDocumentedOperationIsServedAndEveryServedOneDocumented() async throws {
        let documented = try Self.documentedOperations()
        #expect(documented.count > 20)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("openapi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try await Store.open(path: directory.appendingPathComponent("db").path,
                                         keyring: Keyring(current: try MasterKey(bytes: Array(repeating: 1, count: 32))), now: Date())
        defer { store.close() }
        let served = Set(AdminAPI(store: store).routes().operations.map { $0.method + " " + $0.pattern })
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
    }

    @Test func everyErrorCodeTheServerUsesIsDocumented() throws {
        let text = try String(contentsOf: RepositoryFiles.url("openapi.yaml"), encoding: .utf8)
        for code in ["invalid_json", "invalid_query", "unauthorized", "rate_limited", "not_found", "conflict",
                     "precondition_failed", "required", "invalid_type", "invalid_value", "unknown_field", "duplicate_field",
                     "runtime_unavailable", "model_not_found", "model_not_allowed", "client_key_disabled"] {
            #expect(text.contains("`\(code)`"), "\(code)")
        }
    }
}
