import Testing

@Test func placeholder_up() { #expect(Bool(true)) }
