import Testing
@testable import Store

@Suite struct SettingsTests {
    @Test func defaultsMatchTheSpec() {
        let s = Settings()
        #expect(s.strategy == .roundRobin)
        #expect(s.sessionAffinity.enabled && s.sessionAffinity.ttlSeconds == 3600 && s.sessionAffinity.softEscapeSeconds == 60)
        let c = s.cooldowns
        #expect([c.unauthorizedSeconds, c.paymentSeconds, c.notFoundSeconds, c.modelUnsupportedSeconds, c.transientSeconds,
                 c.quotaBaseSeconds, c.quotaMaxSeconds, c.maxCooldownSeconds, c.probeAfterSeconds]
            == [1800, 1800, 43_200, 43_200, 60, 1, 1800, 21_600, 900])
        #expect(s.failoverOnServerError)
        let t = s.upstreamTimeouts
        #expect([t.connectSeconds, t.firstByteSeconds, t.idleSeconds, t.totalSeconds] == [10, 300, 120, 1800])
        #expect(s.validationIssues().isEmpty)
    }

    @Test func fieldsCoverEveryLeafOnce() {
        let paths = Settings.fields.map(\.path)
        #expect(Set(paths).count == paths.count)
        #expect(paths.count == 22)
        #expect(Settings.field("cooldowns.probe_after_seconds")?.value(in: Settings()) == .integer(900))
        #expect(Settings.field("strategy")?.value(in: Settings()) == .string("round-robin"))
    }

    @Test func assignValidates() throws {
        var s = Settings()
        try Settings.field("strategy")!.assign(.string("sticky-round-robin"), to: &s)
        #expect(s.strategy == .stickyRoundRobin)
        #expect(throws: StoreError.invalid("strategy", "must be one of round-robin, fill-first, sticky-round-robin")) {
            try Settings.field("strategy")!.assign(.string("random"), to: &s)
        }
        #expect(throws: StoreError.self) { try Settings.field("retry.max_attempts")!.assign(.integer(0), to: &s) }
        #expect(throws: StoreError.self) { try Settings.field("failover_on_server_error")!.assign(.integer(1), to: &s) }
        s.cooldowns.transientSeconds = -1
        #expect(s.validationIssues().map(\.field) == ["cooldowns.transient_seconds"])
    }

    @Test func settingsPersistAndPatch() async throws {
        let dir = TempDirectory()
        do {
            let store = try await openStore(dir)
            let updated = try await store.updateSettings {
                $0.strategy = .fillFirst
                $0.retry.maxWaitSeconds = 5
                $0.failoverOnServerError = false
            }
            #expect(updated.strategy == .fillFirst)
            #expect(await storeError { () throws(StoreError) in
                try await store.updateSettings { $0.retry.maxAttempts = 0 }
            } == .invalid("retry.max_attempts", "must be an integer ≥ 1"))
            store.close()
        }
        let store = try await openStore(dir)
        let s = try await store.settings()
        #expect(s.strategy == .fillFirst && s.retry.maxWaitSeconds == 5 && !s.failoverOnServerError)
        #expect(s.retry.maxAttempts == 3)
        #expect(store.snapshot.settings == s)
    }
}
