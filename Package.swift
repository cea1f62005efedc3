// swift-tools-version:6.0
import PackageDescription

/// Switchyard: C shims → HTTP core / JSON → Translators, Store → Router, Admin → executables.
let package = Package(
    name: "Switchyard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "switchyard", targets: ["switchyard"]),
        .executable(name: "switchyard-mock", targets: ["switchyard-mock"]),
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
        .target(name: "Logging", dependencies: ["JSON"]),

        // I/O layers.
        .target(name: "Reactor", dependencies: ["CSystem"]),
        .target(name: "HTTPCore", dependencies: ["CSystem", "Reactor"]),
        .target(name: "Store", dependencies: ["CSQLite", "CCrypto"]),
        .target(name: "UpstreamHTTP", dependencies: ["CSystem", "CCurl", "Reactor"]),
        .target(name: "Router", dependencies: ["HTTPCore", "UpstreamHTTP", "Translators", "Store", "JSON", "Logging"]),
        .target(name: "Admin", dependencies: ["HTTPCore", "Store", "JSON", "Router"]),
        .target(name: "App", dependencies: ["CSystem", "HTTPCore", "Router", "Admin", "Store", "UpstreamHTTP", "Logging", "JSON"]),
        .executableTarget(name: "switchyard", dependencies: ["App"]),
        .target(name: "MockUpstream", dependencies: ["HTTPCore"]),
        .executableTarget(name: "switchyard-mock", dependencies: ["MockUpstream"]),

        .target(name: "TestSupport", dependencies: ["HTTPCore"], path: "Tests/TestSupport"),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore", "TestSupport"]),
        .testTarget(name: "AppTests", dependencies: ["App", "HTTPCore", "TestSupport"]),
        .testTarget(name: "MockUpstreamTests", dependencies: ["MockUpstream", "HTTPCore", "TestSupport"]),
        .testTarget(name: "TranslatorsTests", dependencies: ["Translators", "JSON"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "AdminTests", dependencies: ["Admin", "Store", "HTTPCore", "JSON", "TestSupport", "Router"]),
        .testTarget(name: "UpstreamHTTPTests", dependencies: ["UpstreamHTTP", "Reactor"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "JSON"]),
        .testTarget(name: "RouterTests", dependencies: ["Router", "Store"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .executableTarget(name: "TranslatorBenchmark", dependencies: ["Translators", "JSON"], path: "Benchmarks/translators"),
        .executableTarget(name: "SelectionBenchmark", dependencies: ["Router", "Store"], path: "Benchmarks/selection"),
        .testTarget(name: "GatewayTests", dependencies: ["Router", "Store", "HTTPCore", "Translators", "JSON", "TestSupport", "Logging"]),
    ],
    swiftLanguageModes: [.v6]
)

// Async functions run on their caller's executor (the connection's event loop) instead of
// hopping to the global pool at every call: measured faster on the request path. It must be
// on for every module alike: a caller compiled without it miscompiled calls into one with it.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("NonisolatedNonsendingByDefault")]
}
