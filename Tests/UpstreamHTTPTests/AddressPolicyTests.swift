import Testing
@testable import UpstreamHTTP

/// SPEC §9 address rules: the table, and the hook at connect time. No traffic leaves 127.0.0.1.
@Suite(.timeLimit(.minutes(1)))
struct AddressPolicyTests {
    @Test(arguments: [
        ("8.8.8.8", IPAddress.Scope.global), ("1.1.1.1", .global), ("172.32.0.1", .global), ("100.128.0.1", .global),
        ("2001:4860:4860::8888", .global),
        ("127.0.0.1", .privateNetwork), ("127.255.0.9", .privateNetwork), ("10.1.2.3", .privateNetwork),
        ("172.16.0.1", .privateNetwork), ("172.31.255.255", .privateNetwork), ("192.168.1.1", .privateNetwork),
        ("100.64.0.1", .privateNetwork), ("100.127.255.255", .privateNetwork), ("0.0.0.0", .privateNetwork),
        ("::1", .privateNetwork), ("::", .privateNetwork), ("fc00::1", .privateNetwork), ("fd12:3456::1", .privateNetwork),
        ("::ffff:10.0.0.1", .privateNetwork), ("::ffff:127.0.0.1", .privateNetwork),
        ("169.254.0.1", .linkLocal), ("169.254.255.255", .linkLocal), ("fe80::1", .linkLocal), ("febf::1", .linkLocal),
        ("169.254.169.254", .metadata), ("100.100.100.200", .metadata), ("fd00:ec2::254", .metadata),
        ("::ffff:169.254.169.254", .metadata), ("64:ff9b::a9fe:a9fe", .metadata), ("::ffff:169.254.1.1", .linkLocal),
        ("224.0.0.1", .reserved), ("255.255.255.255", .reserved), ("ff02::1", .reserved),
    ])
    func scopeTable(_ text: String, _ expected: IPAddress.Scope) throws {
        let address = try #require(IPAddress(text))
        #expect(address.scope == expected, "\(text)")
    }

    /// curl's primary IP as a C string: a zone suffix is ignored, anything else must be a literal.
    @Test(arguments: [
        ("127.0.0.1", [UInt8]([127, 0, 0, 1])), ("fe80::1%eth0", [0xfe, 0x80] + [UInt8](repeating: 0, count: 13) + [1]),
        ("::1", [UInt8](repeating: 0, count: 15) + [1]), ("", nil), ("localhost", nil), ("127.0.0.1%x", [127, 0, 0, 1]),
        ("1.2.3.4.5", nil), (String(repeating: "1", count: 80), nil),
    ] as [(String, [UInt8]?)])
    func primaryIP(_ text: String, _ expected: [UInt8]?) {
        let parsed = text.withCString { IPAddress(primaryIP: $0) }
        #expect(parsed?.bytes == expected, "\(text)")
    }

    @Test func policyDecisions() throws {
        let loopback = try #require(IPAddress("127.0.0.1"))
        let metadata = try #require(IPAddress("169.254.169.254"))
        let linkLocal6 = try #require(IPAddress("fe80::1"))
        let global = try #require(IPAddress("93.184.216.34"))
        #expect(!AddressPolicy.publicOnly.allows(loopback))
        #expect(AddressPolicy.allowingPrivate.allows(loopback))
        #expect(!AddressPolicy.allowingPrivate.allows(metadata))
        #expect(!AddressPolicy.allowingPrivate.allows(linkLocal6))
        #expect(AddressPolicy.publicOnly.allows(global))
    }

    @Test func metadataHostNames() {
        #expect(AddressPolicy.isForbiddenHostName("metadata.google.internal"))
        #expect(AddressPolicy.isForbiddenHostName("METADATA.google.internal."))
        #expect(AddressPolicy.isForbiddenHostName("metadata"))
        #expect(!AddressPolicy.isForbiddenHostName("api.openai.com"))
    }

    @Test(arguments: Transport.allCases) func loopbackIsRefusedWithoutAllowPrivateAndServedWithIt(_ transport: Transport) async throws {
        let server = try TestServer { connection in
            while connection.readRequest() != nil { connection.respond(body: "ok") }
        }
        defer { server.stop() }
        let client = try transport.client()
        var request = localRequest(server)
        request.addressPolicy = .publicOnly
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(request) }
        #expect(error == .addressRefused("127.0.0.1"))
        #expect(server.accepted == 0)

        request.addressPolicy = .allowingPrivate
        let response = try await client.send(request)
        #expect(try await response.body.collect().text == "ok")
        #expect(server.accepted == 1)
    }

    @Test(arguments: Transport.allCases, ["http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/",
                                          "http://2852039166/", "http://[fe80::1]:80/", "http://[fd00:ec2::254]/"])
    func metadataAddressesAreAlwaysRefused(_ transport: Transport, _ url: String) async throws {
        // Refused in the open-socket hook: no socket is created, so no packet is sent.
        let client = try transport.client()
        let request = UpstreamRequest(url: url, timeouts: UpstreamTimeouts(connect: .seconds(2)), addressPolicy: .allowingPrivate)
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(request) }
        guard case .addressRefused = error else {
            Issue.record("\(url): expected addressRefused, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: Transport.allCases) func metadataHostNameIsRefusedBeforeResolving(_ transport: Transport) async throws {
        let client = try transport.client()
        let request = UpstreamRequest(url: "http://metadata.google.internal/computeMetadata/v1/", addressPolicy: .allowingPrivate)
        let error = await upstreamError { () async throws(UpstreamError) in try await client.send(request) }
        #expect(error == .hostRefused("metadata.google.internal"))
    }
}
