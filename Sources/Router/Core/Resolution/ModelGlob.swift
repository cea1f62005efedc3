/// Matching of model names against names or globs (`claude-*`, `gpt-4?`), ASCII case-insensitive.
/// `*` matches any run of characters (including `/`), `?` exactly one; everything else is literal.
public enum ModelGlob {
    /// True when `name` matches `pattern`.
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        if pattern == "*" { return true }
        var pattern = pattern, name = name
        // Native strings are contiguous already; matching runs on their bytes without copies.
        return pattern.withUTF8 { p in name.withUTF8 { s in matches(p, s) } }
    }

    private static func matches(_ p: UnsafeBufferPointer<UInt8>, _ s: UnsafeBufferPointer<UInt8>) -> Bool {
        // Iterative wildcard match with single backtrack point: linear in practice, no recursion.
        var pi = 0, si = 0
        var star = -1, mark = 0
        while si < s.count {
            if pi < p.count && (p[pi] == 0x3f || lower(p[pi]) == lower(s[si])) {
                pi += 1; si += 1
            } else if pi < p.count && p[pi] == 0x2a {
                star = pi; mark = si; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; si = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == 0x2a { pi += 1 }
        return pi == p.count
    }

    /// True when `name` matches any of `patterns`.
    public static func matchesAny(_ patterns: [String], _ name: String) -> Bool {
        patterns.contains { matches($0, name) }
    }

    /// True when `pattern` contains a wildcard.
    public static func isGlob(_ pattern: String) -> Bool { pattern.contains("*") || pattern.contains("?") }

    private static func lower(_ c: UInt8) -> UInt8 { (c >= 0x41 && c <= 0x5a) ? c + 32 : c }
}
