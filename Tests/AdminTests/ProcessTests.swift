#if canImport(Glibc)
import Glibc
#endif
import Foundation
import JSON
import TestSupport
import Testing

/// The built `switchyard` binary, run as users do.
@Suite(.serialized, .enabled(if: ServeProcess.binaryExists, "needs the built switchyard binary"))
struct AdminProcessTests {
    static let token = "process-admin-token-0123456789abcdef"

    @Test func adminPathsAreNotServedOnTheGatewayAndClientKeysDoNotWorkOnTheAdminPort() async throws {
        let server = try await ServeProcess(token: Self.token)
        defer { server.stop() }
        let auth = ["Authorization: Bearer \(Self.token)"]
        let created = rawRequest(port: server.admin, method: "POST", path: "/v1/client-keys", headers: auth, body: #"{"name":"app"}"#)
        #expect(created?.status == 201)
        let key = try #require(created.flatMap { try? JSONValue.parse($0.body) }?["key"]?.string)

        for path in ["/v1/providers", "/v1/config", "/v1/settings", "/v1/client-keys"] {
            let onGateway = rawRequest(port: server.gateway, method: "GET", path: path, headers: auth)
            #expect(onGateway?.status == 404, "\(path) on the gateway")
        }
        #expect(rawRequest(port: server.gateway, method: "PUT", path: "/v1/config", headers: auth, body: "{}")?.status == 404)
        for header in ["Authorization: Bearer \(key)", "x-api-key: \(key)", "x-goog-api-key: \(key)"] {
            #expect(rawRequest(port: server.admin, method: "GET", path: "/v1/providers", headers: [header])?.status == 401)
        }
        #expect(rawRequest(port: server.admin, method: "GET", path: "/v1/providers?key=\(key)")?.status == 401)
        #expect(rawRequest(port: server.admin, method: "GET", path: "/v1/providers", headers: auth)?.status == 200)
    }

    @Test func provisionScriptRunsAgainstALiveServerTwice() async throws {
        let server = try await ServeProcess(token: Self.token)
        defer { server.stop() }
        for run in 0..<2 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [RepositoryFiles.url("examples/provision.sh").path]
            process.environment = ["SWITCHYARD_ADMIN_URL": "http://127.0.0.1:\(server.admin)",
                                   "SWITCHYARD_ADMIN_TOKEN": Self.token, "PATH": "/usr/bin:/bin"]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitForExit()
            #expect(process.terminationStatus == 0, "run \(run): \(text)")
            #expect(!text.contains("example-openai-key"))
        }
        let auth = ["Authorization: Bearer \(Self.token)"]
        let config = try #require(rawRequest(port: server.admin, method: "GET", path: "/v1/config", headers: auth))
        let document = try JSONValue.parse(config.body)
        #expect(document["providers"]?.array?.count == 3)
        #expect(document["credentials"]?.array?.count == 4)
        #expect(document["routes"]?.array?.count == 1)
        #expect(document["client_keys"]?.array?.count == 1)
        #expect(!config.body.contains("example-anthropic-key"))

        // A failing call makes the script fail.
        let failing = Process()
        failing.executableURL = URL(fileURLWithPath: "/bin/bash")
        failing.arguments = [RepositoryFiles.url("examples/provision.sh").path]
        failing.environment = ["SWITCHYARD_ADMIN_URL": "http://127.0.0.1:\(server.admin)",
                               "SWITCHYARD_ADMIN_TOKEN": "wrong-token-0123456789abcdef", "PATH": "/usr/bin:/bin"]
        failing.standardOutput = FileHandle.nullDevice
        failing.standardError = FileHandle.nullDevice
        try failing.run()
        failing.waitForExit()
        #expect(failing.terminationStatus != 0)
    }
}
