/// A settings value in its storable, renderable form.
public enum SettingsValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int)
    case boolean(Bool)
    case string(String)

    public var description: String {
        switch self {
        case .integer(let i): return String(i)
        case .boolean(let b): return b ? "true" : "false"
        case .string(let s): return s
        }
    }
}

/// One leaf of `Settings` under its dotted wire path (e.g. `cooldowns.transient_seconds`):
/// the table from which settings are stored, rendered and patched field by field.
public struct SettingsField: Sendable {
    /// What values a field accepts.
    public enum Kind: Sendable, Equatable {
        /// An integer no smaller than `minimum`.
        case integer(minimum: Int)
        case boolean
        /// One of the listed strings.
        case choice([String])
    }

    /// Dotted snake_case path, as in the admin API's JSON.
    public let path: String
    public let kind: Kind
    private let get: @Sendable (Settings) -> SettingsValue
    private let set: @Sendable (inout Settings, SettingsValue) -> Bool

    init(path: String, kind: Kind, get: @escaping @Sendable (Settings) -> SettingsValue,
         set: @escaping @Sendable (inout Settings, SettingsValue) -> Bool) {
        self.path = path
        self.kind = kind
        self.get = get
        self.set = set
    }

    /// The field's value in `settings`.
    public func value(in settings: Settings) -> SettingsValue { get(settings) }

    /// Sets the field, or throws `invalid` naming the path when the value does not fit `kind`.
    public func assign(_ value: SettingsValue, to settings: inout Settings) throws(StoreError) {
        guard set(&settings, value) else {
            let expected: String
            switch kind {
            case .integer(let minimum): expected = "an integer ≥ \(minimum)"
            case .boolean: expected = "true or false"
            case .choice(let options): expected = "one of " + options.joined(separator: ", ")
            }
            throw .invalid(path, "must be \(expected)")
        }
    }

    static func integer(_ path: String, minimum: Int = 0,
                        _ keyPath: WritableKeyPath<Settings, Int> & Sendable) -> SettingsField {
        SettingsField(path: path, kind: .integer(minimum: minimum),
                      get: { .integer($0[keyPath: keyPath]) },
                      set: { settings, value in
                          guard case .integer(let i) = value, i >= minimum else { return false }
                          settings[keyPath: keyPath] = i
                          return true
                      })
    }

    static func boolean(_ path: String, _ keyPath: WritableKeyPath<Settings, Bool> & Sendable) -> SettingsField {
        SettingsField(path: path, kind: .boolean,
                      get: { .boolean($0[keyPath: keyPath]) },
                      set: { settings, value in
                          guard case .boolean(let b) = value else { return false }
                          settings[keyPath: keyPath] = b
                          return true
                      })
    }
}

extension Settings {
    /// Every settings leaf, in wire order.
    public static let fields: [SettingsField] = [
        SettingsField(
            path: "strategy", kind: .choice(SelectionStrategy.allCases.map(\.rawValue)),
            get: { .string($0.strategy.rawValue) },
            set: { settings, value in
                guard case .string(let s) = value, let strategy = SelectionStrategy(rawValue: s) else { return false }
                settings.strategy = strategy
                return true
            }),
        .integer("sticky_limit", minimum: 1, \.stickyLimit),
        .boolean("session_affinity.enabled", \.sessionAffinity.enabled),
        .integer("session_affinity.ttl_seconds", minimum: 1, \.sessionAffinity.ttlSeconds),
        .integer("session_affinity.soft_escape_seconds", \.sessionAffinity.softEscapeSeconds),
        .integer("retry.max_attempts", minimum: 1, \.retry.maxAttempts),
        .integer("retry.max_credentials", minimum: 1, \.retry.maxCredentials),
        .integer("retry.max_wait_seconds", \.retry.maxWaitSeconds),
        .integer("cooldowns.unauthorized_seconds", \.cooldowns.unauthorizedSeconds),
        .integer("cooldowns.payment_seconds", \.cooldowns.paymentSeconds),
        .integer("cooldowns.not_found_seconds", \.cooldowns.notFoundSeconds),
        .integer("cooldowns.model_unsupported_seconds", \.cooldowns.modelUnsupportedSeconds),
        .integer("cooldowns.transient_seconds", \.cooldowns.transientSeconds),
        .integer("cooldowns.quota_base_seconds", minimum: 1, \.cooldowns.quotaBaseSeconds),
        .integer("cooldowns.quota_max_seconds", \.cooldowns.quotaMaxSeconds),
        .integer("cooldowns.max_cooldown_seconds", \.cooldowns.maxCooldownSeconds),
        .integer("cooldowns.probe_after_seconds", \.cooldowns.probeAfterSeconds),
        .boolean("failover_on_server_error", \.failoverOnServerError),
        .integer("upstream_timeouts.connect_seconds", minimum: 1, \.upstreamTimeouts.connectSeconds),
        .integer("upstream_timeouts.first_byte_seconds", minimum: 1, \.upstreamTimeouts.firstByteSeconds),
        .integer("upstream_timeouts.idle_seconds", minimum: 1, \.upstreamTimeouts.idleSeconds),
        .integer("upstream_timeouts.total_seconds", minimum: 1, \.upstreamTimeouts.totalSeconds),
    ]

    /// The field at a dotted path, if any.
    public static func field(_ path: String) -> SettingsField? { fields.first { $0.path == path } }

    /// Checks every field against its kind (a value built in code may break a minimum).
    public func validationIssues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        var copy = self
        for field in Settings.fields {
            do { try field.assign(field.value(in: self), to: &copy) } catch {
                if case .invalid(let found) = error { issues += found }
            }
        }
        return issues
    }
}
