import HTTPCore
import Testing
@testable import Router

@Suite struct ClientAuthenticationTests {
    private func request(_ headers: HTTPHeaders, target: String = "/v1/models") -> HTTPRequest {
        HTTPRequest(method: "GET", target: target, headers: headers, body: [], id: "req", remoteAddress: "127.0.0.1")
    }

    @Test func eachSDKPlaceIsRead() {
        #expect(ClientAuthentication.presentedKey(request(["Authorization": "Bearer sy-a"])) == "sy-a")
        #expect(ClientAuthentication.presentedKey(request(["authorization": "bearer  sy-b "])) == "sy-b")
        #expect(ClientAuthentication.presentedKey(request(["x-api-key": "sy-c"])) == "sy-c")
        #expect(ClientAuthentication.presentedKey(request(["x-goog-api-key": "sy-d"])) == "sy-d")
        #expect(ClientAuthentication.presentedKey(request([:], target: "/v1beta/models?alt=sse&key=sy-e%2B")) == "sy-e+")
        #expect(ClientAuthentication.presentedKey(request(["Authorization": "Basic abc"])) == nil)
        #expect(ClientAuthentication.presentedKey(request([:])) == nil)
    }

    @Test func bearerWinsOverOtherPlaces() {
        let both = request(["x-api-key": "sy-second", "Authorization": "Bearer sy-first"], target: "/x?key=sy-third")
        #expect(ClientAuthentication.presentedKey(both) == "sy-first")
    }

    @Test(arguments: [
        ("Bearer sy-a", "sy-a"), ("BEARER sy-a", "sy-a"), ("bEaReR   sy-a  ", "sy-a"), ("Bearer", nil), ("Bearer ", nil),
        ("Bearer    ", nil), ("Bearersy-a", nil), ("Beare sy-a", nil), ("Basic sy-a", nil), ("Bearer\tsy-a", nil),
        ("Bearer sy a", "sy a"), ("", nil),
    ] as [(String, String?)])
    func bearerToken(_ authorization: String, _ expected: String?) {
        #expect(ClientAuthentication.bearerToken(authorization) == expected)
    }

    @Test func anEmptyBearerFallsThroughToTheOtherPlaces() {
        #expect(ClientAuthentication.presentedKey(request(["Authorization": "Bearer   ", "x-api-key": "sy-c"])) == "sy-c")
    }
}
