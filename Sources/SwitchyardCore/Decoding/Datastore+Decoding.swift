import Foundation

extension Datastore {
    /// `{name, kind, placement}` describes a datastore; `{name, kind: postgres, clients, members}` one that drills act on
    /// (its placement is then the members'), with `failoverManager: {timeout}` when the site's failover manager, not the
    /// drill, promotes a member.
    static func decode(_ field: Field, zones: [String]) -> Datastore? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name")?.name()
        let kind = map.required("kind")?.oneOf(Kind.self)
        if let membersField = map.optional("members") {
            if let placementField = map.optional("placement") {
                placementField.error("leave placement out when members are listed: it is theirs (zone and role of each)")
            }
            if let kind, kind != .postgres {
                membersField.error("drills act on kind postgres only so far (got \(kind.rawValue)); describe this datastore with placement")
                map.accept("clients")
                map.accept("failoverManager")
                return nil
            }
            let failover = decodeFailover(map)
            let members = membersField.list { DatastoreMember.decode($0, zones: zones, failover: failover) }
            let clients = decodeClients(map)
            if let members {
                checkUnique(membersField, names: members.map(\.name))
                let primaries = members.filter { $0.role == .primary }.count
                if primaries != 1 { membersField.error("needs exactly one member with role: primary (got \(primaries))") }
                if !members.contains(where: { $0.role == .replica }) {
                    membersField.error("needs at least one member with role: replica: a primary loss is survived by promoting one")
                }
            }
            guard let name, let kind, let members, let clients, let failover else { return nil }
            return Datastore(name: name, kind: kind, placement: placement(of: members), members: members, clients: clients, failover: failover)
        }
        if let clientsField = map.optional("clients") { clientsField.error("applies with members (the servers drills act on)") }
        if let managerField = map.optional("failoverManager") { managerField.error("applies with members (the servers drills act on)") }
        let placementField = map.required("placement", hint: "a list of {zone, role: primary|replica, count}, or members")
        let placement = placementField?.list { item -> Placement? in
            guard let entry = item.mapping() else { return nil }
            defer { entry.finish() }
            let zone = entry.required("zone")?.name()
            if let zone, !zones.contains(zone) { entry.optional("zone")?.error(unknownName(zone, "zone", zones)) }
            let role = entry.required("role")?.oneOf(Role.self)
            let count = entry.optional("count")?.int(min: 1, max: 1000) ?? 1
            guard let zone, zones.contains(zone), let role else { return nil }
            return Placement(zone: zone, role: role, count: count)
        }
        if let placement, let placementField, placement.filter({ $0.role == .primary }).isEmpty {
            placementField.error("needs at least one node with role: primary")
        }
        guard let name, let kind, let placement else { return nil }
        return Datastore(name: name, kind: kind, placement: placement)
    }

    private static func decodeClients(_ map: MappingReader) -> ClientConnectionString? {
        guard let field = map.required("clients", hint: "the connection string the applications use, e.g. "
            + "postgresql://app@10.0.1.21:5432,10.0.2.21:5432/orders?target_session_attrs=read-write"),
              let text = field.nonEmptyString() else { return nil }
        switch ClientConnectionString.parse(text) {
        case .success(let value): return value
        case .failure(let failure):
            field.error(failure.description)
            return nil
        }
    }

    /// Absent: the drill promotes. `{timeout: 30s}`: the drill waits that long after the kill for the manager's
    /// promotion. Nil when the field is malformed.
    private static func decodeFailover(_ map: MappingReader) -> DatastoreFailover? {
        guard let field = map.optional("failoverManager") else { return .drillPromotes }
        guard let manager = field.mapping() else { return nil }
        defer { manager.finish() }
        let timeout = manager.required("timeout", hint: "how long the drill waits after the loss for a member to answer as primary, e.g. 30s")?
            .timeSpan(min: .ms(100), max: .seconds(600))
        return timeout.map { .manager(timeout: $0) }
    }

    private static func checkUnique(_ list: Field, names: [String]) {
        Topology.checkUnique(list, names: names, what: "member")
    }
}

extension DatastoreMember {
    /// `failover` is the datastore's (nil when malformed): with a failover manager, `promote` is the manager's to do.
    static func decode(_ field: Field, zones: [String], failover: DatastoreFailover?) -> DatastoreMember? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name")?.name()
        let zone = map.required("zone")?.name()
        if let zone, !zones.contains(zone) { map.optional("zone")?.error(unknownName(zone, "zone", zones)) }
        let role = map.required("role")?.oneOf(Datastore.Role.self)
        let address = map.required("address", hint: "where clients reach it, e.g. 10.0.1.21:5432")?.hostPort()
        var host: MemberHost?
        if let hostField = map.optional("host"), let text = hostField.nonEmptyString() {
            host = MemberHost.parse(text)
            if host == nil { hostField.error("expected local (this machine) or an SSH destination [user@]address[:port], got \"\(text)\"") }
        }
        let data = map.required("dataDirectory", hint: "its data directory on its host, e.g. /var/lib/postgresql/15/main")?.filePath()
        var promote = Promotion.pgCtl
        if let promoteField = map.optional("promote") {
            if case .manager? = failover {
                promoteField.error("the failover manager promotes this datastore's members (failoverManager is set): leave promote out, "
                    + "or leave failoverManager out to have the drill promote")
            } else if case .scalar = promoteField.node {
                if let word = promoteField.string(), word != "pg_ctl" { promoteField.error("expected pg_ctl or {command: [...]}, got \"\(word)\"") }
            } else if let promoteMap = promoteField.mapping() {
                defer { promoteMap.finish() }
                if let httpField = promoteMap.optional("http") {
                    if let commandField = promoteMap.optional("command") { commandField.error("give command or http, not both") }
                    if let request = HTTPPromotion.decode(httpField) { promote = .http(request) }
                } else if let commandField = promoteMap.required("command", hint: "the command that promotes this member, run on this machine, "
                    + "or http: {url, body} for a failover manager's API") {
                    let words: [String]?
                    if case .scalar = commandField.node { words = commandField.nonEmptyString().map(CommandTemplate.words) } else { words = commandField.list { $0.nonEmptyString() } }
                    if let words, words.isEmpty { commandField.error("must not be empty") }
                    if let words, !words.isEmpty { promote = .command(words) }
                }
            }
        }
        let options = map.optional("serverOptions")?.nonEmptyString()
        let runAs = map.optional("runAs")?.name() ?? "postgres"
        let bin = map.optional("binDirectory")?.filePath()
        guard let name, let zone, zones.contains(zone), let role, let address, let data else { return nil }
        return DatastoreMember(name: name, zone: zone, role: role, address: address, host: host, dataDirectory: data, promote: promote,
                               serverOptions: options, runAs: runAs, binDirectory: bin)
    }
}

extension HTTPPromotion {
    /// `{url, method?, body?, headers?}`; `body` is JSON text, such as `'{"candidate": "pg-b"}'`.
    static func decode(_ field: Field) -> HTTPPromotion? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let urlField = map.required("url", hint: "the failover manager's endpoint, e.g. http://10.0.2.21:8008/failover")
        let url = urlField?.httpURL()
        let method = map.optional("method")?.oneOf(HTTPPromotion.Method.self) ?? .post
        let body = map.optional("body")?.nonEmptyString()
        if let body, (try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])) == nil {
            map.optional("body")?.error("is not JSON: \(body.prefix(80))")
        }
        var headers: [String: String] = [:]
        if let headerMap = map.optional("headers")?.mapping() {
            defer { headerMap.finish() }
            for key in headerMap.pairs.map(\.key) {
                guard let value = headerMap.optional(key)?.string() else { continue }
                if key.isEmpty || key.contains(where: { $0.isWhitespace || $0 == ":" }) { headerMap.optional(key)?.error("not a header name: \"\(key)\"") }
                headers[key] = value
            }
        }
        guard let url else { return nil }
        return HTTPPromotion(url: url, method: method, body: body, headers: headers)
    }
}
