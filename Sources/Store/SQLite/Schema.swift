/// The Store's schema, as an ordered list of migrations. Append new migrations; never edit or
/// reorder released ones.
///
/// Conventions: times are Unix milliseconds (INTEGER); booleans are 0/1; list-valued fields live
/// in child tables with a `position` column; secrets are AES-256-GCM sealed BLOBs (see
/// `SecretBox`); child rows cascade with their parent, while references to providers are
/// `RESTRICT` so a provider in use cannot disappear.
enum Schema {
    static let migrations: [Migration] = [
        Migration(name: "0001_configuration", sql: configuration),
        Migration(name: "0002_runtime_state", sql: runtimeState),
    ]

    static let configuration = """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        INSERT INTO meta (key, value) VALUES ('config_version', '1');

        CREATE TABLE providers (
            name TEXT PRIMARY KEY,
            type TEXT NOT NULL CHECK (type IN ('openai', 'anthropic', 'gemini')),
            base_url TEXT NOT NULL,
            quota_scope TEXT NOT NULL DEFAULT 'model' CHECK (quota_scope IN ('model', 'credential')),
            allow_private_network INTEGER NOT NULL DEFAULT 0,
            enabled INTEGER NOT NULL DEFAULT 1,
            position INTEGER NOT NULL          -- list order: creation order, or document order after a replace
        );
        CREATE TABLE provider_headers (
            provider TEXT NOT NULL REFERENCES providers(name) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            value_sealed BLOB NOT NULL,
            PRIMARY KEY (provider, position)
        );
        CREATE TABLE provider_models (
            provider TEXT NOT NULL REFERENCES providers(name) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            pattern TEXT NOT NULL,
            PRIMARY KEY (provider, position)
        );

        CREATE TABLE credentials (
            id TEXT PRIMARY KEY,
            provider TEXT NOT NULL REFERENCES providers(name) ON DELETE RESTRICT,
            label TEXT NOT NULL DEFAULT '',
            secret_kind TEXT NOT NULL CHECK (secret_kind IN ('api_key', 'oauth')),
            secret_sealed BLOB NOT NULL,
            secret_hint TEXT NOT NULL,
            tier INTEGER NOT NULL DEFAULT 0,
            priority INTEGER NOT NULL DEFAULT 0,
            prefix TEXT,
            enabled INTEGER NOT NULL DEFAULT 1,
            position INTEGER NOT NULL
        );
        CREATE INDEX credentials_provider ON credentials(provider);
        CREATE TABLE credential_models (
            credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            pattern TEXT NOT NULL,
            PRIMARY KEY (credential_id, position)
        );
        CREATE TABLE credential_aliases (
            credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            alias TEXT NOT NULL,
            model TEXT NOT NULL,
            PRIMARY KEY (credential_id, position)
        );
        CREATE INDEX credential_aliases_alias ON credential_aliases(alias COLLATE NOCASE);

        CREATE TABLE routes (
            name TEXT PRIMARY KEY,
            strategy TEXT NOT NULL DEFAULT 'fallback' CHECK (strategy IN ('fallback', 'round-robin')),
            position INTEGER NOT NULL
        );
        CREATE TABLE route_targets (
            route TEXT NOT NULL REFERENCES routes(name) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            provider TEXT NOT NULL REFERENCES providers(name) ON DELETE RESTRICT,
            model TEXT NOT NULL,
            PRIMARY KEY (route, position)
        );
        CREATE INDEX route_targets_provider ON route_targets(provider);

        CREATE TABLE client_keys (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            key_hash BLOB NOT NULL UNIQUE,
            hint TEXT NOT NULL,
            enabled INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            position INTEGER NOT NULL
        );
        CREATE TABLE client_key_models (
            client_key_id TEXT NOT NULL REFERENCES client_keys(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            pattern TEXT NOT NULL,
            PRIMARY KEY (client_key_id, position)
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );

        CREATE TABLE admin_token (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            token_hash BLOB NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """

    /// Runtime state that the router and operations issues fill: health, affinity, usage.
    static let runtimeState = """
        CREATE TABLE credential_model_state (
            credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
            model TEXT NOT NULL,            -- '' means the whole credential (quota_scope credential, 401, 402/403)
            reason TEXT NOT NULL,           -- e.g. quota, unauthorized, payment, not_found, model_unsupported, transient
            cooldown_until INTEGER,         -- absolute deadline, Unix ms; NULL when not cooling
            backoff_level INTEGER NOT NULL DEFAULT 0,
            last_status INTEGER,            -- last upstream HTTP status, NULL for connect errors
            last_error TEXT,
            probe_at INTEGER,               -- early probe time for long cooldowns, Unix ms
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (credential_id, model)
        );

        CREATE TABLE session_bindings (
            provider TEXT NOT NULL,
            session TEXT NOT NULL,          -- session id or hash, never message text
            model TEXT NOT NULL,
            credential_id TEXT NOT NULL REFERENCES credentials(id) ON DELETE CASCADE,
            expires_at INTEGER NOT NULL,    -- sliding TTL deadline, Unix ms
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (provider, session, model)
        );
        CREATE INDEX session_bindings_expires ON session_bindings(expires_at);

        CREATE TABLE usage_records (
            id INTEGER PRIMARY KEY,
            at INTEGER NOT NULL,            -- request start, Unix ms
            request_id TEXT NOT NULL,
            client_key_id TEXT,             -- no foreign keys: records outlive what they mention
            route TEXT,
            provider TEXT,
            credential_id TEXT,
            requested_model TEXT,
            upstream_model TEXT,
            client_format TEXT,             -- openai | anthropic | gemini
            stream INTEGER NOT NULL DEFAULT 0,
            status INTEGER NOT NULL,
            error_code TEXT,
            attempts INTEGER NOT NULL DEFAULT 1,
            latency_ms INTEGER NOT NULL,
            ttfb_ms INTEGER,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cached_tokens INTEGER NOT NULL DEFAULT 0,
            reasoning_tokens INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX usage_records_at ON usage_records(at);
        """
}
