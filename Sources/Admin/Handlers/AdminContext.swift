import Foundation
import HTTPCore
import Store

/// What every handler works with: the store, the clock and the router's hooks.
struct AdminContext: Sendable {
    let store: Store
    let now: @Sendable () -> Date
    let hooks: AdminHooks

    /// The snapshot in force now, read once per request.
    var snapshot: ConfigSnapshot { store.snapshot }
}

extension HTTPResponse {
    /// Adds a `Location` header.
    func located(_ path: String) -> HTTPResponse {
        var copy = self
        copy.headers.set("Location", path)
        return copy
    }
}

/// Percent-encodes one path segment for a `Location` header.
func pathSegment(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
}
