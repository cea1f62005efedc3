import HTTPCore
import Testing
@testable import App

@Suite struct ServeOptionsTests {
    @Test func defaultsMatchTheSpecification() throws {
        let options = try ServeOptions.parse([], environment: [:]).get()
        #expect(options.listen == ListenAddress(host: "127.0.0.1", port: 8080))
        #expect(options.adminListen == ListenAddress(host: "127.0.0.1", port: 8081))
        #expect(options.databasePath == "./switchyard.db")
        #expect(options.maxBodyBytes == 33_554_432)
        #expect(options.headerTimeout == 10)
        #expect(options.idleTimeout == 60)
        #expect(options.maxConnections == 10_000)
        #expect(options.drainTimeout == 30)
    }

    @Test func environmentTwinsApplyAndFlagsWin() throws {
        let environment = [
            "SWITCHYARD_LISTEN": "127.0.0.1:9000", "SWITCHYARD_ADMIN_LISTEN": "[::1]:9001", "SWITCHYARD_DB": "/tmp/x.db",
            "SWITCHYARD_MAX_BODY_BYTES": "1024", "SWITCHYARD_HEADER_TIMEOUT": "2.5", "SWITCHYARD_IDLE_TIMEOUT": "7",
            "SWITCHYARD_MAX_CONNECTIONS": "5", "SWITCHYARD_DRAIN_TIMEOUT": "3", "SWITCHYARD_LOG_LEVEL": "debug",
        ]
        let options = try ServeOptions.parse(["--max-body-bytes", "2048", "--idle-timeout=9"], environment: environment).get()
        #expect(options.listen == ListenAddress(host: "127.0.0.1", port: 9000))
        #expect(options.adminListen == ListenAddress(host: "::1", port: 9001))
        #expect(options.databasePath == "/tmp/x.db")
        #expect(options.maxBodyBytes == 2048)
        #expect(options.headerTimeout == 2.5)
        #expect(options.idleTimeout == 9)
        #expect(options.maxConnections == 5)
        #expect(options.drainTimeout == 3)
        #expect(options.logLevel == .debug)
    }

    @Test func everyErrorIsReportedTogether() {
        let result = ServeOptions.parse(
            ["--listen", "nowhere", "--max-body-bytes", "-5", "--header-timeout", "0", "--bogus", "--drain-timeout"],
            environment: ["SWITCHYARD_MAX_CONNECTIONS": "many"])
        guard case .failure(let errors) = result else {
            Issue.record("invalid options were accepted")
            return
        }
        #expect(errors.messages.count == 6)
        #expect(errors.messages.contains { $0.contains("SWITCHYARD_MAX_CONNECTIONS") })
        #expect(errors.messages.contains { $0.contains("--listen") })
        #expect(errors.messages.contains { $0.contains("unknown option '--bogus'") })
        #expect(errors.messages.contains { $0.contains("missing value for --drain-timeout") })
    }

    @Test(arguments: ["127.0.0.1:1", "[::1]:80", ":8080", "0.0.0.0:65535"])
    func validListenAddresses(_ text: String) {
        #expect(ListenAddress(parsing: text) != nil)
    }

    @Test(arguments: ["localhost:80", "127.0.0.1", "127.0.0.1:99999", "1.2.3:80", "[::1:80", "127.0.0.1:-1"])
    func invalidListenAddresses(_ text: String) {
        #expect(ListenAddress(parsing: text) == nil)
    }

    @Test func sameAddressForBothListenersIsRejected() {
        let result = ServeOptions.parse(["--listen", "127.0.0.1:9000", "--admin-listen", "127.0.0.1:9000"], environment: [:])
        #expect((try? result.get()) == nil)
    }
}
