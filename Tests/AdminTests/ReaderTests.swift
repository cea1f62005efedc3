@testable import Admin
import JSON
import Testing

@Suite struct ObjectReaderTests {
    @Test func readOnlyMembersMustHaveTheirDocumentedType() throws {
        let issues = Issues()
        var reader = ObjectReader(try #require(JSONValue.parse(#"{"created_at":{},"kind":"other","state":{}}"#).object), issues: issues)
        reader.readOnly("created_at", expected: "a string") { $0.string != nil }
        reader.readOnly("kind", expected: "api_key or oauth") { $0.string == "api_key" || $0.string == "oauth" }
        reader.readOnly("state", expected: "an object") { $0.object != nil }
        reader.finish()
        #expect(issues.all.compactMap(\.field) == ["created_at", "kind"])
    }
}
