import Foundation
import HTTPCore
import Router
import Store

/// What every handler works with: the store, the clock, the router's hooks and, when attached,
/// the live router runtime.
struct AdminContext: Sendable {
    let store: Store
    let now: @Sendable () -> Date
    let hooks: AdminHooks
    let runtime: RouterRuntime?

    /// The snapshot in force now, read once per request.
    var snapshot: ConfigSnapshot { store.snapshot }

    /// The live router, for the runtime views; 503 `runtime_unavailable` when none is attached.
    func requireRuntime() throws(AdminError) -> RouterRuntime {
        guard let runtime else { throw .runtimeUnavailable }
        return runtime
    }
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
