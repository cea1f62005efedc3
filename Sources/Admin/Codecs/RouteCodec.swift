import JSON
import Store

/// Routes on the wire: `{"name","targets":[{"provider","model"}],"strategy"}`.
enum RouteCodec {
    static func encode(_ route: Route) -> JSONValue {
        [
            "name": .string(route.name),
            "targets": .array(route.targets.map { ["provider": .string($0.provider), "model": .string($0.model)] }),
            "strategy": .string(route.strategy.rawValue),
        ]
    }

    /// Reads a whole route (`targets` required, `strategy` defaults to `fallback`); `name` is the
    /// path's name, if any.
    static func decode(_ reader: inout ObjectReader, name pathName: String?) -> Route {
        let issues = reader.issues
        let name = reader.string("name")
        let strategy = reader.choice("strategy", RouteStrategy.self)
        let targets = reader.objects("targets") { target in
            let provider = target.string("provider"), model = target.string("model")
            target.require(provider, "provider")
            target.require(model, "model")
            return RouteTarget(provider: provider.value ?? "", model: model.value ?? "")
        }
        if pathName == nil { reader.require(name, "name") }
        reader.require(targets, "targets")
        if let pathName, let given = name.value, given != pathName {
            issues.add("invalid_value", reader.field("name"), "must match the name in the path ('\(pathName)')")
        }
        return Route(name: pathName ?? name.value ?? "", targets: targets.value ?? [], strategy: strategy.value ?? .fallback)
    }

    /// Store rules, prefixed with `path`; with `providers`, unknown target providers too.
    static func validate(_ route: Route, providers: Set<String>?, path: String = "", issues: Issues) {
        var found = route.validationIssues(path: path)
        if let providers {
            for (i, target) in route.targets.enumerated() where !providers.contains(target.provider) {
                let field = path + "targets[\(i)].provider"
                if !found.contains(where: { $0.field == field }) {
                    found.append(ValidationIssue(field: field, message: "unknown provider '\(target.provider)'"))
                }
            }
        }
        issues.add(store: found)
    }
}
