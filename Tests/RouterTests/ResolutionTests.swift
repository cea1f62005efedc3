import Store
import Testing
@testable import Router

/// SPEC §5: reasoning suffix, routes, prefixes, provider names, globs, aliases and pools,
/// client-key allow-lists and the model listing.
@Suite struct ResolutionTests {
    @Test(arguments: [
        ("gpt-5(high)", "gpt-5", ReasoningSuffix.effort("high")),
        ("gpt-5(HIGH)", "gpt-5", .effort("high")),
        ("claude-sonnet-4(8192)", "claude-sonnet-4", .budget(8192)),
        ("o3(minimal)", "o3", .effort("minimal")),
        ("plain", "plain", nil),
        ("odd(thing)", "odd(thing)", nil),
        ("(high)", "(high)", nil),
        ("x(-5)", "x(-5)", nil),
    ] as [(String, String, ReasoningSuffix?)])
    func suffix(_ raw: String, _ name: String, _ reasoning: ReasoningSuffix?) {
        let model = RequestedModel(parsing: raw)
        #expect(model.name == name)
        #expect(model.reasoning == reasoning)
    }

    @Test(arguments: [
        ("claude-*", "claude-sonnet-4", true), ("claude-*", "gpt-4o", false), ("gpt-4?", "gpt-4o", true),
        ("gpt-4?", "gpt-4", false), ("*", "anything/at/all", true), ("GPT-4O", "gpt-4o", true),
        ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false), ("exact", "exact", true), ("exact", "exactly", false),
        ("Claude-*", "CLAUDE-SONNET", true), ("*-MINI", "gpt-4o-mini", true), ("", "", true), ("", "x", false),
        ("?", "", false), ("a*", "A", true), ("é*", "é-x", true), ("é*", "É-x", false), ("*a?c*", "xxabcyy", true),
        ("gpt-4?", "GPT-4O", true), ("*", "", true),
    ])
    func glob(_ pattern: String, _ name: String, _ expected: Bool) {
        #expect(ModelGlob.matches(pattern, name) == expected)
    }

    static let snapshot = Fixture.snapshot(
        providers: [Fixture.provider("openai", models: ["gpt-*"]), Fixture.provider("anthropic", .anthropic, models: ["claude-*"]),
                    Fixture.provider("off", models: ["legacy-*"], enabled: false)],
        credentials: [
            Fixture.credential("o1", "openai"),
            Fixture.credential("o2", "openai", prefix: "team", models: ["gpt-4o"]),
            Fixture.credential("a1", "anthropic", aliases: [("fast", "claude-haiku"), ("Fast", "claude-sonnet"), ("fast", "claude-haiku")]),
            Fixture.credential("a2", "anthropic", aliases: [("FAST", "claude-opus")], enabled: false),
            Fixture.credential("x1", "off"),
        ],
        routes: [Route(name: "smart", targets: [RouteTarget(provider: "anthropic", model: "claude-opus"),
                                                RouteTarget(provider: "openai", model: "gpt-5")])])

    func resolve(_ model: String) throws(RoutingError) -> Resolution {
        try ModelResolver.resolve(RequestedModel(parsing: model), in: Self.snapshot, index: RoutingIndex(Self.snapshot))
    }

    @Test func rules() throws {
        #expect(try resolve("smart").kind == .route(name: "smart", strategy: .fallback))
        #expect(try resolve("smart").pools.map(\.description) == ["anthropic:claude-opus", "openai:gpt-5"])
        #expect(try resolve("team/gpt-4o").kind == .prefix("team"))
        #expect(try resolve("team/gpt-4o").pools == [PoolKey(provider: "openai", selector: .prefixed(prefix: "team", model: "gpt-4o"))])
        #expect(try resolve("openai/o3-mini").pools == [PoolKey(provider: "openai", selector: .serving(model: "o3-mini"))])
        #expect(try resolve("claude-sonnet-4(high)").pools == [PoolKey(provider: "anthropic", selector: .serving(model: "claude-sonnet-4"))])
        #expect(try resolve("FAST").pools == [PoolKey(provider: "anthropic", selector: .aliased(alias: "fast"))])
        #expect(throws: RoutingError.modelNotFound("mistral-large")) { try resolve("mistral-large") }
        #expect(throws: RoutingError.modelNotFound("nobody/x")) { try resolve("nobody/x") }
    }

    /// Resolutions are remembered per configuration version: a new version resolves afresh.
    @Test func rememberedResolutionsFollowConfigurationVersions() throws {
        let registry = RoutingRegistry()
        let without = Fixture.snapshot(providers: [Fixture.provider("openai", models: ["gpt-*"])],
                                       credentials: [Fixture.credential("o1", "openai")], version: 1)
        let with = Fixture.snapshot(providers: [Fixture.provider("openai", models: ["gpt-*"]),
                                                Fixture.provider("mistral", models: ["mistral-*"])],
                                    credentials: [Fixture.credential("o1", "openai"), Fixture.credential("m1", "mistral")], version: 2)
        for _ in 0..<2 {
            #expect(throws: RoutingError.modelNotFound("mistral-large")) {
                try registry.begin(RouteRequest(model: "mistral-large"), snapshot: without)
            }
            #expect(try registry.begin(RouteRequest(model: "gpt-4o"), snapshot: without).plan.map(\.candidate.credentialID) == ["o1"])
        }
        for _ in 0..<2 {
            #expect(try registry.begin(RouteRequest(model: "mistral-large"), snapshot: with).plan.map(\.candidate.credentialID) == ["m1"])
        }
        let without3 = Fixture.snapshot(providers: [Fixture.provider("openai", models: ["gpt-*"])],
                                        credentials: [Fixture.credential("o1", "openai")], version: 3)
        #expect(throws: RoutingError.modelNotFound("mistral-large")) {
            try registry.begin(RouteRequest(model: "mistral-large"), snapshot: without3)
        }
    }

    @Test func candidatesAndErrors() throws {
        var d = Driver(Self.snapshot)
        // Prefix: only credentials carrying it, model `rest`.
        #expect(d.serve("team/gpt-4o") == Candidate(credentialID: "o2", provider: "openai", model: "gpt-4o"))
        // Credential allow-list narrows the provider's globs.
        #expect(d.sequence("gpt-5", 3) == ["o1", "o1", "o1"])
        // Alias pool (first listing kept, duplicates dropped), disabled credential excluded.
        let pool = try d.state.begin(RouteRequest(model: "fast"), snapshot: d.snapshot, now: d.now).plannedCandidates
        #expect(Set(pool.map(\.model)) == ["claude-haiku", "claude-sonnet"])
        #expect(pool.allSatisfy { $0.credentialID == "a1" })
        // A disabled provider's model: 503, not 404.
        #expect(throws: RoutingError.noneEnabled("legacy-1")) {
            try d.state.begin(RouteRequest(model: "legacy-1"), snapshot: d.snapshot, now: d.now)
        }
        #expect(throws: RoutingError.noneEnabled("off/legacy-1")) {
            try d.state.begin(RouteRequest(model: "off/legacy-1"), snapshot: d.snapshot, now: d.now)
        }
        #expect(throws: RoutingError.modelNotFound("nope")) {
            try d.state.begin(RouteRequest(model: "nope"), snapshot: d.snapshot, now: d.now)
        }
    }

    /// An alias pool rotates per request and fails over within.
    @Test func aliasPoolRotatesAndFailsOver() {
        var d = Driver(Self.snapshot)
        #expect(d.sequence("fast", 4).count == 4)
        let models = (0..<4).map { _ in d.serve("fast")!.model }
        #expect(models == ["claude-haiku", "claude-sonnet", "claude-haiku", "claude-sonnet"]
                || models == ["claude-sonnet", "claude-haiku", "claude-sonnet", "claude-haiku"])
        // Cool one model of the pool: the other still serves on the same credential.
        d.fail("a1", model: "claude-haiku", .quota(hint: 30))
        #expect(Set((0..<3).map { _ in d.serve("fast")!.model }) == ["claude-sonnet"])
        let run = d.run("fast", outcomes: ["a1": .failed(.server)])
        #expect(run.tried == ["a1"] && run.served == nil)
    }

    /// Credential `a` has an alias pool of two models, `b` the same alias (differently cased) for one.
    private static let twoCredentialsWithAnAlias = Fixture.snapshot(
        providers: [Fixture.provider("rt", models: [])],
        credentials: [Fixture.credential("a", "rt", aliases: [("Pool1", "m1"), ("Pool1", "m2")]),
                      Fixture.credential("b", "rt", aliases: [("pool1", "m9")])])

    private static func served(_ d: inout Driver, _ count: Int, session: SessionKey? = nil) -> [String] {
        (0..<count).map { _ in d.serve("pool1", session: session).map { "\($0.credentialID)/\($0.model)" } ?? "-" }
    }

    /// A credential's alias pool keeps rotating when another credential of the same bucket has
    /// the alias too: the rotation turns only when the block leads a request (it used to turn on
    /// every request, so the pool's credential got `m1` on each of its turns).
    @Test func aliasPoolRotatesBesideAnotherCredentialWithTheAlias() {
        var d = Driver(Self.twoCredentialsWithAnAlias)
        let served = Self.served(&d, 8)
        #expect(served == ["a/m1", "b/m9", "a/m2", "b/m9", "a/m1", "b/m9", "a/m2", "b/m9"], "\(served)")
    }

    /// A session bound to a credential with an alias pool keeps that credential, and the pool
    /// still rotates through its models from one request of the session to the next.
    @Test func aSessionBoundToAnAliasPoolRotatesThroughItsModels() {
        var d = Driver(Self.twoCredentialsWithAnAlias)
        let served = Self.served(&d, 4, session: SessionKey(ids: ["sid:s1"], source: .sessionHeader))
        #expect(served == ["a/m1", "a/m2", "a/m1", "a/m2"], "\(served)")
    }

    @Test func clientKeyAllowList() throws {
        let key = Fixture.clientKey(models: ["gpt-*", "smart"])
        var d = Driver(Self.snapshot)
        #expect(throws: RoutingError.modelNotAllowed("claude-sonnet-4")) {
            try d.state.begin(RouteRequest(model: "claude-sonnet-4(high)", clientKey: key), snapshot: d.snapshot, now: d.now)
        }
        _ = try d.state.begin(RouteRequest(model: "gpt-5(low)", clientKey: key), snapshot: d.snapshot, now: d.now)
        #expect(RoutingError.modelNotAllowed("x").httpStatus == 403)
        #expect(RoutingError.modelNotFound("x").httpStatus == 404)
        #expect(RoutingError.noneEnabled("x").httpStatus == 503)
    }

    @Test func listing() {
        let snapshot = Fixture.snapshot(
            providers: [Fixture.provider("openai", models: ["gpt-4o", "gpt-*"]), Fixture.provider("g", .gemini, models: ["gemini-2.5-pro"])],
            credentials: [Fixture.credential("o1", "openai", prefix: "team"), Fixture.credential("g1", "g", aliases: [("pro", "gemini-2.5-pro")])],
            routes: [Route(name: "smart", targets: [RouteTarget(provider: "g", model: "gemini-2.5-pro")])])
        #expect(ModelAccess.listModels(for: nil, in: snapshot).map(\.id) == ["smart", "pro", "gpt-4o", "team/gpt-4o", "gemini-2.5-pro"])
        #expect(ModelAccess.listModels(for: Fixture.clientKey(models: ["gemini-*", "pro"]), in: snapshot).map(\.id)
                == ["pro", "gemini-2.5-pro"])
        // Allow-listed names served only through a glob are listed; names that resolve nowhere are not.
        #expect(ModelAccess.listModels(for: Fixture.clientKey(models: ["gpt-5", "pro", "claude-x", "gpt-*"]), in: snapshot)
                .map { "\($0.id)@\($0.ownedBy)" } == ["pro@g", "gpt-4o@openai", "gpt-5@openai"])
    }

    /// Two routes may differ only by case and both route: both are listed, and each shadows a
    /// provider model of its exact name only.
    @Test func routesDifferingByCaseAreBothListed() {
        let snapshot = Fixture.snapshot(
            providers: [Fixture.provider("openai", models: ["gpt-4o", "r1"])], credentials: [Fixture.credential("o1", "openai")],
            routes: [Route(name: "r1", targets: [RouteTarget(provider: "openai", model: "gpt-4o")]),
                     Route(name: "R1", targets: [RouteTarget(provider: "openai", model: "gpt-4o")])])
        #expect(ModelAccess.listModels(for: nil, in: snapshot).map(\.id) == ["r1", "R1", "gpt-4o"])
    }
}
