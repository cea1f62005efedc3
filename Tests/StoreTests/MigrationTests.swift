import Foundation
import Testing
@testable import Store

@Suite struct MigrationTests {
    @Test func migratesFromEmpty() async throws {
        let dir = TempDirectory()
        let store = try await openStore(dir)
        let names = try await store.writer.run { db throws(StoreError) in
            try db.query("SELECT name FROM schema_migrations ORDER BY seq").map { $0.string(0) }
        }
        #expect(names == Schema.migrations.map(\.name))
        let tables = try await store.writer.run { db throws(StoreError) in
            Set(try db.query("SELECT name FROM sqlite_master WHERE type = 'table'").map { $0.string(0) })
        }
        for table in ["providers", "credentials", "credential_aliases", "routes", "route_targets", "client_keys",
                      "settings", "admin_token", "credential_model_state", "session_bindings", "usage_records"] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        let pragmas = try await store.writer.run { db throws(StoreError) in
            (try db.query("PRAGMA journal_mode").first?.string(0), try db.query("PRAGMA foreign_keys").first?.int(0),
             try db.query("PRAGMA synchronous").first?.int(0))
        }
        #expect(pragmas.0 == "wal")
        #expect(pragmas.1 == 1)
        #expect(pragmas.2 == 1)  // NORMAL
        #expect(store.snapshot.version == 1)
        #expect(store.snapshot.settings == Settings())
        #expect(try await store.integrityCheck())
    }

    @Test func reopenKeepsDataAndAppliesNothingTwice() async throws {
        let dir = TempDirectory()
        do {
            let store = try await openStore(dir)
            try await store.createProvider(Sample.openAI())
            try await store.createCredential(Sample.credential("c1"))
            try await store.putRoute(Sample.route())
            _ = try await store.createClientKey(id: "k1", name: "ci", now: t0)
            try await store.updateSettings { $0.stickyLimit = 9 }
            store.close()
        }
        let store = try await openStore(dir)
        let snapshot = store.snapshot
        #expect(snapshot.providers == [Sample.openAI()])
        #expect(snapshot.credentials == [Sample.credential("c1")])
        #expect(snapshot.routes == [Sample.route()])
        #expect(snapshot.clientKeys.map(\.id) == ["k1"])
        #expect(snapshot.clientKeys.first?.createdAt == t0)
        #expect(snapshot.settings.stickyLimit == 9)
        #expect(snapshot.version == 6)  // 1 + five changes: the version survives a restart
        let count = try await store.writer.run { db throws(StoreError) in
            try db.query("SELECT count(*) FROM schema_migrations").first!.int(0)
        }
        #expect(count == Schema.migrations.count)
    }

    @Test func refusesDatabaseFromNewerBinary() async throws {
        let dir = TempDirectory()
        do {
            let store = try await openStore(dir)
            try await store.writer.run { db throws(StoreError) in
                try db.execute("INSERT INTO schema_migrations (seq, name, applied_at) VALUES (99, '0099_future', 0)")
            }
            store.close()
        }
        let error = await storeError { () throws(StoreError) in _ = try await Store.open(
            path: dir.databasePath, keyring: Keyring(current: testKey), now: t0) }
        #expect(error == .newerDatabase(unknownMigrations: ["0099_future"]))
        #expect(error?.description.contains("newer Switchyard") == true)
    }

    @Test func appliesOnlyNewMigrationsInOrder() async throws {
        let dir = TempDirectory()
        let first = [Migration(name: "0001_a", sql: "CREATE TABLE a (x INTEGER);")]
        let second = first + [Migration(name: "0002_b", sql: "CREATE TABLE b (y INTEGER); INSERT INTO b VALUES (1);")]
        let db = try SQLiteConnection(path: dir.databasePath)
        #expect(try Migrator(migrations: first).migrate(db, nowMilliseconds: 0) == ["0001_a"])
        #expect(try Migrator(migrations: second).migrate(db, nowMilliseconds: 0) == ["0002_b"])
        #expect(try Migrator(migrations: second).migrate(db, nowMilliseconds: 0) == [])
        #expect(try db.query("SELECT count(*) FROM b").first?.int(0) == 1)
    }

    @Test func failedMigrationRollsBackAndIsNotRecorded() async throws {
        let dir = TempDirectory()
        let broken = [Migration(name: "0001_broken", sql: "CREATE TABLE ok (x INTEGER); CREATE TABLE ok (x INTEGER);")]
        let db = try SQLiteConnection(path: dir.databasePath)
        #expect(throws: StoreError.self) { try Migrator(migrations: broken).migrate(db, nowMilliseconds: 0) }
        #expect(try db.query("SELECT count(*) FROM schema_migrations").first?.int(0) == 0)
        #expect(try db.query("SELECT count(*) FROM sqlite_master WHERE name = 'ok'").first?.int(0) == 0)
    }
}
