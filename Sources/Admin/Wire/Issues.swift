import Store

/// Collects every problem found while reading one request, so all are reported at once.
final class Issues {
    private(set) var all: [AdminIssue] = []

    var isEmpty: Bool { all.isEmpty }

    func add(_ code: String, _ field: String?, _ message: String) {
        all.append(AdminIssue(code: code, field: field, message: message))
    }

    /// Adds Store-level issues, skipping fields already reported (a missing field is not also "invalid").
    func add(store issues: [ValidationIssue]) {
        for issue in issues where !all.contains(where: { $0.field == issue.field }) {
            add("invalid_value", issue.field, issue.message)
        }
    }

    /// Records that `field` is required, unless a problem with it was already recorded.
    func require(_ field: String) {
        if !all.contains(where: { $0.field == field }) { add("required", field, "is required") }
    }

    /// Throws `AdminError.invalid` when anything was found.
    func check() throws(AdminError) {
        if !all.isEmpty { throw .invalid(all) }
    }
}
