import Foundation

/// Files of the repository this test target was compiled from.
enum RepositoryFiles {
    /// The package root: found from this source file's location (`Tests/AdminTests/Support/`),
    /// resolving symlinks so an isolated package pointing here works too.
    static var root: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}
