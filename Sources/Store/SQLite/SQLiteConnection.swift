import CSQLite

/// One SQLite connection with a prepared-statement cache. Not thread-safe: confine it to one
/// `DatabaseQueue`.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The text parameters of the statement being run, bound in place (SQLITE_STATIC) instead of
    /// copied by SQLite (one allocation per text value per row); valid until the statement's reset.
    private var textArena = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 1)
    private var textArenaUsed = 0
    let path: String

    /// Opens (creating if needed) the database and applies the connection pragmas.
    init(path: String, busyTimeoutMilliseconds: Int32 = 5_000) throws(StoreError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw .storage("cannot open database at \(path): \(message)")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, busyTimeoutMilliseconds)
        try executeScript("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA foreign_keys = ON;
            """)
    }

    deinit {
        close()
        textArena.deallocate()
    }

    /// Finalizes cached statements and closes the handle; later calls fail with `storage`.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs SQL that may contain several statements and takes no parameters (schema, pragmas).
    func executeScript(_ sql: String) throws(StoreError) {
        let db = try open()
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(errorMessage)
            throw .storage(message)
        }
    }

    /// Runs one parameterised statement to completion and returns the rows it produced.
    @discardableResult
    func query(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) -> [Row] {
        let db = try open()
        return try run(try prepared(sql, db: db), bindings, db: db, sql: sql)
    }

    /// Runs one parameterised statement once per element of `rows`, looked up once (hashing a
    /// long statement per row cost as much as binding it).
    func executeEach<Rows: Sequence>(_ sql: String, _ rows: Rows, _ bindings: (Rows.Element) -> [SQLValue]) throws(StoreError) {
        let db = try open()
        let statement = try prepared(sql, db: db)
        for row in rows { try run(statement, bindings(row), db: db, sql: sql) }
    }

    @discardableResult
    private func run(_ statement: OpaquePointer, _ bindings: [SQLValue], db: OpaquePointer, sql: String) throws(StoreError) -> [Row] {
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        reserveTextArena(for: bindings)
        for (offset, value) in bindings.enumerated() {
            try check(bind(value, to: statement, at: Int32(offset + 1)), db: db, sql: sql)
        }
        var rows: [Row] = []
        let columns = sqlite3_column_count(statement)
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { try check(rc, db: db, sql: sql); break }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for column in 0..<columns { values.append(read(statement, column)) }
            rows.append(Row(values: values))
        }
        return rows
    }

    /// Runs one parameterised statement that returns no rows.
    func execute(_ sql: String, _ bindings: [SQLValue] = []) throws(StoreError) {
        try query(sql, bindings)
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    var changes: Int { handle.map { Int(sqlite3_changes($0)) } ?? 0 }

    /// Runs `body` inside a transaction, rolling back if it throws. Writes take the write lock
    /// up front (`BEGIN IMMEDIATE`); reads (`BEGIN DEFERRED`) see one consistent WAL snapshot
    /// across several queries.
    func transaction<T>(readOnly: Bool = false, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try executeScript(readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE")
        do {
            let result = try body()
            try executeScript("COMMIT")
            return result
        } catch {
            try? executeScript("ROLLBACK")
            throw error
        }
    }

    // MARK: - Internals

    private func open() throws(StoreError) -> OpaquePointer {
        guard let handle else { throw .storage("database \(path) is closed") }
        return handle
    }

    private func prepared(_ sql: String, db: OpaquePointer) throws(StoreError) -> OpaquePointer {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            try check(rc == SQLITE_OK ? SQLITE_ERROR : rc, db: db, sql: sql)
            throw .storage("cannot prepare \(sql)")
        }
        statements[sql] = statement
        return statement
    }

    /// Makes room in the arena for every text parameter of one statement run.
    private func reserveTextArena(for bindings: [SQLValue]) {
        textArenaUsed = 0
        var needed = 0
        for case .text(let text) in bindings { needed += text.utf8.count }
        guard needed > textArena.count else { return }
        let size = max(needed, textArena.count * 2)
        textArena.deallocate()
        textArena = .allocate(byteCount: size, alignment: 1)
    }

    private func bind(_ value: SQLValue, to statement: OpaquePointer, at index: Int32) -> Int32 {
        switch value {
        case .null:
            return sqlite3_bind_null(statement, index)
        case .integer(let i):
            return sqlite3_bind_int64(statement, index, i)
        case .real(let d):
            return sqlite3_bind_double(statement, index, d)
        case .text(var s):
            // Copied once into the arena and bound in place: no NUL-terminated copy, no copy by SQLite.
            return s.withUTF8 { bytes in
                let start = textArena.baseAddress! + textArenaUsed
                if let source = bytes.baseAddress { start.copyMemory(from: source, byteCount: bytes.count) }
                textArenaUsed += bytes.count
                return sqlite3_bind_text(statement, index, start.assumingMemoryBound(to: CChar.self), Int32(bytes.count), csq_static())
            }
        case .blob(let bytes):
            return bytes.withUnsafeBytes { raw in
                sqlite3_bind_blob(statement, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                  Int32(raw.count), csq_transient())
            }
        }
    }

    private func read(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let text = sqlite3_column_text(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let raw = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: raw, count: count)))
        default:
            return .null
        }
    }

    private func check(_ rc: Int32, db: OpaquePointer, sql: String) throws(StoreError) {
        guard rc != SQLITE_OK, rc != SQLITE_ROW, rc != SQLITE_DONE else { return }
        let message = String(cString: sqlite3_errmsg(db))
        if rc & 0xff == SQLITE_CONSTRAINT {
            throw .conflict("constraint violated: \(message)")
        }
        throw .storage("sqlite error \(rc): \(message) [\(sql.prefix(80))]")
    }
}
