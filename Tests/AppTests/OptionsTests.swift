import Testing
@testable import App

@Test func placeholderApp() { #expect(Bool(true)) }
