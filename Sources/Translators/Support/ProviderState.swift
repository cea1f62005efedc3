import JSON

/// Carries provider state through clients of other dialects inside values they echo back.
///
/// - A Gemini `thoughtSignature` on a function call rides in the tool call id given to
///   OpenAI and Anthropic clients: `<id>__thought__<base64url(signature)>`; the client sends the
///   same id back with the call and its result, and decoding splits it again.
/// - A thinking signature minted by one provider is shown to a client of another dialect with
///   a prefix naming its origin (`gemini.`), so it is replayed only to the provider that made it.
public enum ProviderState {
    static let thoughtMarker = "__thought__"
    private static let thoughtMarkerBytes = Array(thoughtMarker.utf8)

    /// The tool call id to show a non-Gemini client.
    public static func embed(id: String, thoughtSignature: String?) -> String {
        guard let thoughtSignature, !thoughtSignature.isEmpty else { return id }
        return id + thoughtMarker + Base64.toURLSafe(thoughtSignature)
    }

    /// Splits an id from a client into the original id and any embedded Gemini signature.
    public static func split(id: String) -> (id: String, thoughtSignature: String?) {
        guard let offset = markerOffset(in: id) else { return (id, nil) }
        let utf8 = Array(id.utf8)
        let signature = String(decoding: utf8[(offset + thoughtMarker.utf8.count)...], as: UTF8.self)
        return (String(decoding: utf8[..<offset], as: UTF8.self), signature.isEmpty ? nil : Base64.fromURLSafe(signature))
    }

    /// Byte offset of the marker in `id`, found with a plain byte scan (ids are short; this runs
    /// for every tool call and result).
    static func markerOffset(in id: String) -> Int? {
        ByteSearch.firstIndex(of: thoughtMarkerBytes, in: Array(id.utf8))
    }

    /// The signature string to show a client of `client` dialect for a thinking part.
    public static func showSignature(_ signature: String, origin: Dialect?, to client: Dialect) -> String {
        guard let origin, origin != client else { return signature }
        return origin.rawValue + "." + signature
    }

    /// Reads a signature a client of `client` dialect sent back: its value and origin.
    public static func readSignature(_ signature: String, from client: Dialect) -> (signature: String, origin: Dialect) {
        for dialect in Dialect.allCases where dialect != client {
            let prefix = dialect.rawValue + "."
            if signature.hasPrefix(prefix) { return (String(signature.dropFirst(prefix.count)), dialect) }
        }
        return (signature, client)
    }

    /// Whether a body from a `client` dialect client carries another provider's state: a Gemini
    /// signature inside a tool call id (OpenAI refuses ids over 40 characters), or a signature
    /// `showSignature` marked as another provider's (`"signature": "gemini.…"`, which Anthropic
    /// refuses). Such a body is translated for the client's own provider, which strips or drops it.
    public static func carriesForeignState(_ body: [UInt8], client: Dialect) -> Bool {
        guard client != .gemini else { return false }
        if ByteSearch.firstIndex(of: thoughtMarkerBytes, in: body) != nil { return true }
        return client == .anthropic && carriesForeignSignature(body, client: client)
    }

    /// Whether the body has a `"signature"` member whose value starts with another dialect's prefix.
    static func carriesForeignSignature(_ body: [UInt8], client: Dialect) -> Bool {
        let key = Array(#""signature""#.utf8)
        let prefixes = Dialect.allCases.filter { $0 != client }.map { Array(($0.rawValue + ".").utf8) }
        var i = 0
        while let found = ByteSearch.firstIndex(of: key, in: body, from: i) {
            var j = found + key.count
            while j < body.count, jsonWhitespace.contains(body[j]) { j += 1 }
            guard j < body.count, body[j] == UInt8(ascii: ":") else { i = found + 1; continue }
            j += 1
            while j < body.count, jsonWhitespace.contains(body[j]) { j += 1 }
            if j < body.count, body[j] == UInt8(ascii: "\""),
               prefixes.contains(where: { body[(j + 1)...].starts(with: $0) }) { return true }
            i = found + 1
        }
        return false
    }

    private static let jsonWhitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]

    /// Synthetic id for a Gemini function call that came without one (not replayed to Gemini).
    public static func syntheticCallID(seed: String, index: Int) -> String {
        "call_sy\(seed.isEmpty ? "" : "_" + sanitize(seed))_\(index)"
    }

    /// Whether `id` was made by `syntheticCallID`.
    public static func isSynthetic(_ id: String) -> Bool { id.hasPrefix("call_sy") }

    static func sanitize(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0.properties.isASCIIHexDigit || ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") }.prefix(24).map(Character.init))
    }
}
