import Testing

@Test func placeholder_StoreTests() { #expect(Bool(true)) }
