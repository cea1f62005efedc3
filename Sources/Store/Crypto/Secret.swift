import CCrypto

/// A secret string (API key, OAuth token, client key). Its description, debug description and
/// mirror are masked, so interpolating, printing or dumping it cannot leak the value; call
/// `reveal()` at the one place the clear text is needed (an upstream header).
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    public init(_ value: String) { self.value = value }

    /// The clear text. Use only where it must leave the process (e.g. an upstream request).
    public func reveal() -> String { value }

    /// A masked hint such as `sk-…9f2c`, safe to show and log.
    public var hint: String { SecretHint.mask(value) }

    /// True when the secret is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { "Secret(\(hint))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Constant-time comparison.
    public static func == (lhs: Secret, rhs: Secret) -> Bool {
        Digest.constantTimeEquals(Array(lhs.value.utf8), Array(rhs.value.utf8))
    }
}

/// Masks secrets for display: a known prefix (`sk-ant-`, `sk-`, `AIza`, `sy-`, …) and the last
/// four characters, e.g. `sk-…9f2c`; short secrets are masked entirely as `…`.
public enum SecretHint {
    /// Prefixes shown in hints, longest first so `sk-ant-` wins over `sk-`.
    public static let knownPrefixes = ["sk-ant-", "sk-proj-", "sk-or-", "sk-", "AIza", "ya29.", "sy-"]

    /// Below this many characters nothing but `…` is shown.
    public static let minimumLengthForHint = 12

    public static func mask(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count >= minimumLengthForHint else { return "…" }
        let prefix = knownPrefixes.first { value.hasPrefix($0) } ?? ""
        // Always keep at least eight characters hidden.
        guard characters.count - prefix.count - 4 >= 8 else { return "…" }
        return prefix + "…" + String(characters.suffix(4))
    }
}
