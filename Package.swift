// swift-tools-version:6.0
import PackageDescription

/// Switchyard: C shims → HTTP core / JSON → Translators, Store → Router, Admin → executables.
let package = Package(
    name: "Switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchyard", targets: ["switchyard"]),
    ],
    targets: [
        // System libraries and Linux headers Glibc does not expose.
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),

        // Pure layers.
        .target(name: "JSON"),
        .target(name: "Translators", dependencies: ["JSON"]),

        // I/O layers.
        .target(name: "HTTPCore", dependencies: ["CSystem"]),
        .target(name: "Store", dependencies: ["CSQLite", "CCrypto"]),
        .target(name: "UpstreamHTTP", dependencies: ["CSystem", "CCurl"]),
        .target(name: "Router", dependencies: ["HTTPCore", "UpstreamHTTP", "Translators", "Store", "JSON"]),
        .target(name: "Admin", dependencies: ["HTTPCore", "Store", "JSON"]),
        .executableTarget(name: "switchyard", dependencies: ["HTTPCore", "Router", "Admin", "Store"]),

        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore"]),
        .testTarget(name: "TranslatorsTests", dependencies: ["Translators", "JSON"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "UpstreamHTTPTests", dependencies: ["UpstreamHTTP"]),
    ],
    swiftLanguageModes: [.v6]
)
