/// Matching of model names against names or globs (`claude-*`, `gpt-4?`), ASCII case-insensitive.
/// `*` matches any run of characters (including `/`), `?` exactly one; everything else is literal.
public enum ModelGlob {
    /// True when `name` matches `pattern`.
    public static func matches(_ pattern: String, _ name: String) -> Bool {
        if pattern == "*" { return true }
        let p = Array(pattern.utf8).map(lower)
        let s = Array(name.utf8).map(lower)
        if !p.contains(0x2a) && !p.contains(0x3f) { return p == s }
        // Iterative wildcard match with single backtrack point: linear in practice, no recursion.
        var pi = 0, si = 0
        var star = -1, mark = 0
        while si < s.count {
            if pi < p.count && (p[pi] == 0x3f || p[pi] == s[si]) {
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
