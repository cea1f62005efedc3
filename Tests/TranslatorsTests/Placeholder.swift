import Testing

@Test func placeholder_TranslatorsTests() { #expect(Bool(true)) }
