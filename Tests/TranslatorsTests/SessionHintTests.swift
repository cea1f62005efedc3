import Testing
@testable import Translators

@Suite struct SessionHintTests {
    @Test(arguments: [
        ("user_abc_account_123_session_4f1a-99", "4f1a-99"),
        ("{\"device_id\":\"d\",\"session_id\":\"s-42\"}", "s-42"),
        ("plain-user", nil),
        ("user_session_", nil),
    ] as [(String, String?)])
    func claudeSessionIDs(_ testCase: (String, String?)) {
        #expect(RequestMetadata(userID: testCase.0).claudeSessionID == testCase.1)
    }

    @Test func affinityTextsAreTheFirstOfEachRole() throws {
        let request = try Translator.decodeRequest(try Fixtures.bytes("requests/openai-basic.json"), from: .openai)
        let texts = request.affinityTexts(limit: 8)
        #expect(texts.system == "You are ")
        #expect(texts.user == "Name a c")
        #expect(texts.assistant == "{\"colour")
    }
}
