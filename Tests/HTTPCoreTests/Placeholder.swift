import Testing

@Test func placeholder_HTTPCoreTests() { #expect(Bool(true)) }
