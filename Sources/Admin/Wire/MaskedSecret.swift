import Store

/// Write-only secrets on the wire: reads show `SecretHint.mask(value)`; a write that sends a
/// masked hint back (it contains `…`) means "keep the stored secret", so an export re-imports.
enum MaskedSecret {
    /// True when `text` is a masked hint rather than a secret.
    static func isMasked(_ text: String) -> Bool { text.contains("…") }

    /// Resolves a written secret: the value itself, or the stored one when `text` is its hint.
    /// A hint that matches nothing stored is recorded as an issue at `field`.
    static func resolve(_ text: String, stored: Secret?, field: String, issues: Issues) -> Secret {
        guard isMasked(text) else { return Secret(text) }
        if let stored, stored.hint == text { return stored }
        issues.add("invalid_value", field, "is a masked hint that matches no stored secret; send the full value")
        return Secret(text)
    }
}
