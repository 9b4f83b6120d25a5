extension Topology {
    static func decode(_ map: MappingReader, _ context: DecodingContext) -> Topology? {
        let name = map.required("name")?.name()
        let description = map.optional("description")?.string()
        let zones = map.required("zones")?.list { field -> Zone? in
            if case .scalar = field.node { return field.name().map { Zone(name: $0) } }
            guard let zone = field.mapping() else { return nil }
            defer { zone.finish() }
            guard let zoneName = zone.required("name")?.name() else { return nil }
            let hosts = zone.optional("hosts")?.list { ZoneHost.decode($0, zone: zoneName) } ?? []
            return Zone(name: zoneName, description: zone.optional("description")?.string(), hosts: hosts)
        }
        if let zones, zones.isEmpty { map.optional("zones")?.error("must name at least one zone") }
        let zoneNames = zones?.map(\.name) ?? []
        if let field = map.optional("zones") { checkUnique(field, names: zoneNames, what: "zone") }

        let loadBalancers = map.optional("loadBalancers")?.list { LoadBalancer.decode($0, zones: zoneNames) } ?? []
        if let field = map.optional("loadBalancers") { checkUnique(field, names: loadBalancers.map(\.name), what: "load balancer") }

        if let field = map.optional("zones") { checkHosts(field, zones: zones ?? []) }
        let allHosts = zones?.flatMap(\.hosts) ?? []
        let services = map.required("services")?.list { Service.decode($0, zones: zoneNames, loadBalancers: loadBalancers) }?.map { service in
            var placed = service
            placed.hosts = allHosts.filter { service.zones.contains($0.zone) && $0.carries(service.hostLabels) }
            return placed
        }
        if let field = map.optional("services") {
            checkUnique(field, names: services?.map(\.name) ?? [], what: "service")
            if let services { checkPlacement(field, services: services, zones: zones ?? []) }
            if let services { checkPorts(field, services: services, loadBalancers: loadBalancers) }
        }
        let datastores = map.optional("datastores")?.list { Datastore.decode($0, zones: zoneNames) } ?? []
        if let field = map.optional("datastores") { checkUnique(field, names: datastores.map(\.name), what: "datastore") }

        let notify = NotifyTarget.decodeList(map.optional("notify"))
        guard let name, let zones, let services, let notify else { return nil }
        var topology = Topology(name: name, description: description, zones: zones, loadBalancers: loadBalancers, services: services,
                                datastores: datastores)
        topology.notify = notify
        return topology
    }

    /// Reports the second and later items of a list that reuse a name.
    static func checkUnique(_ list: Field, names: [String], what: String) {
        guard let items = list.asList, items.count == names.count else { return }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let first = seen[name] {
                let item = items[index]
                let nameField = item.asMapping.flatMap { $0.optional("name") } ?? item
                nameField.error("\(what) \"\(name)\" is defined twice (first at \(list.path)[\(first)])")
            } else {
                seen[name] = index
            }
        }
    }

    /// One address is one machine: it stands in one zone, once.
    static func checkHosts(_ list: Field, zones: [Zone]) {
        guard let items = list.asList, items.count == zones.count else { return }
        var seen: [String: String] = [:]  // address -> zone
        for (index, zone) in zones.enumerated() {
            guard let hostItems = items[index].asMapping?.optional("hosts")?.asList, hostItems.count == zone.hosts.count else { continue }
            for (hostIndex, host) in zone.hosts.enumerated() {
                if let first = seen[host.address] {
                    let field = hostItems[hostIndex].asMapping?.optional("address") ?? hostItems[hostIndex]
                    field.error("host \(host.address) is already listed in zone \(first); a host stands in one zone, once")
                } else {
                    seen[host.address] = zone.name
                }
            }
        }
    }

    /// A service whose `hostLabels` leave one of its zones that lists hosts without any would run that zone's
    /// instances nowhere.
    static func checkPlacement(_ list: Field, services: [Service], zones: [Zone]) {
        guard let items = list.asList, items.count == services.count else { return }
        for (index, service) in services.enumerated() where !service.hostLabels.isEmpty {
            let field = items[index].asMapping?.optional("hostLabels") ?? items[index]
            let selector = service.hostLabels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
            if zones.allSatisfy({ !service.zones.contains($0.name) || $0.hosts.isEmpty }) {
                field.error("selects hosts, but none of the service's zones lists any")
                continue
            }
            for zone in zones where service.zones.contains(zone.name) && !zone.hosts.isEmpty && !zone.hosts.contains(where: { $0.carries(service.hostLabels) }) {
                field.error("no host of zone \(zone.name) carries \(selector) (its hosts: \(zone.hosts.map(\.address).joined(separator: ", ")))")
            }
        }
    }

    /// Two instances on one port, or an instance on a load balancer's port, can never both run.
    static func checkPorts(_ list: Field, services: [Service], loadBalancers: [LoadBalancer]) {
        guard let items = list.asList, items.count == services.count else { return }
        var owners: [String: [Int: String]] = [:]  // host -> port -> owner
        for balancer in loadBalancers {
            owners[balancer.listen.host, default: [:]][balancer.listen.port] = "load balancer \(balancer.name) (listen)"
            owners[balancer.previewListen.host, default: [:]][balancer.previewListen.port] = "load balancer \(balancer.name) (previewListen)"
        }
        for (index, service) in services.enumerated() {
            let portsField = items[index].asMapping?.optional("instance")?.asMapping?.optional("ports") ?? items[index]
            if let last = service.instance.ports.last, last - service.instance.ports.first + 1 < service.portsNeeded {
                portsField.error("range \(service.instance.ports) holds \(last - service.instance.ports.first + 1) ports; \(service.name) needs \(service.portsNeeded) (2 slots x \(service.zones.count) zones x \(service.replicasPerZone) replicas)")
                continue
            }
            if let lastPort = service.instances.last?.port, lastPort > 65535 {
                portsField.error("ports from \(service.instance.ports.first) run past 65535 for \(service.portsNeeded) instances")
                continue
            }
            for instance in service.instances {
                let listenHost = service.listenAddress(of: instance).host
                let hostOwners = owners[listenHost, default: [:]]
                let wildcard = owners["0.0.0.0", default: [:]]
                if let owner = hostOwners[instance.port] ?? wildcard[instance.port] {
                    portsField.error("port \(instance.port) of instance \(instance.name) is already taken by \(owner)")
                    break
                }
                owners[listenHost, default: [:]][instance.port] = "instance \(instance.name)"
            }
        }
    }
}

extension ZoneHost {
    /// `{address, user, port, identityFile, supervisor, labels}`, or the address alone.
    static func decode(_ field: Field, zone: String) -> ZoneHost? {
        if case .scalar = field.node { return field.host().map { ZoneHost(zone: zone, address: $0) } }
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let address = map.required("address", hint: "the host's IP address or DNS name")?.host()
        let user = map.optional("user")?.name()
        let port = map.optional("port")?.int(min: 1, max: 65535)
        let identity = map.optional("identityFile")?.filePath()
        let supervisor = map.optional("supervisor")?.oneOf(ZoneHost.Supervisor.self) ?? .auto
        let labels = map.optional("labels").map(labelMap) ?? [:]
        guard let address else { return nil }
        return ZoneHost(zone: zone, address: address, user: user, sshPort: port, identityFile: identity, supervisor: supervisor,
                        labels: labels)
    }
}

extension LoadBalancer {
    static func decode(_ field: Field, zones: [String]) -> LoadBalancer? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name")?.name()
        let driver = map.optional("driver")?.oneOf(Driver.self) ?? .nginx
        let listen = map.required("listen")?.hostPort()
        let preview = map.required("previewListen", hint: "the address gates use to reach the idle slot")?.hostPort()
        if let listen, let preview, listen == preview {
            map.optional("previewListen")?.error("must differ from listen (\(listen)): the preview listener serves the idle slot")
        }
        let managed = map.optional("managed")?.bool() ?? true
        let directory = map.optional("directory")?.filePath() ?? (managed ? ".yard/nginx/\(name ?? "lb")" : "/etc/nginx")
        let reloadField = map.optional("reloadCommand")
        if managed, let reloadField { reloadField.error("applies to a site-managed nginx (managed: false); Switchyard signals the nginx it runs itself") }
        let reload = managed ? nil : reloadField?.list { $0.nonEmptyString() }
        // The files of a site-managed nginx: only with managed: false (Switchyard writes the whole configuration of its own).
        func siteOnly(_ key: String) -> String? {
            guard let field = map.optional(key) else { return nil }
            if managed { field.error("applies to a site-managed nginx (managed: false); Switchyard writes the whole configuration of the nginx it runs"); return nil }
            return field.filePath()
        }
        let site = SiteNginxFiles(include: siteOnly("include"), config: siteOnly("config"), pidFile: siteOnly("pidFile"))
        let drainTimeout = map.optional("drainTimeout")?.timeSpan(min: .seconds(1)) ?? .minutes(10)
        let maxFails = map.optional("maxFails")?.int(min: 0, max: 100) ?? 1
        let failTimeout = map.optional("failTimeout")?.timeSpan(min: .seconds(1)) ?? .seconds(10)
        let passiveHealth = map.optional("passiveHealth")?.bool() ?? true
        let clientKeepalive = map.optional("clientKeepalive")?.timeSpan(min: .ms(0), max: .hours(1)) ?? .ms(0)
        let nodes = map.optional("nodes")?.list { item -> Node? in
            guard let node = item.mapping() else { return nil }
            defer { node.finish() }
            let nodeName = node.required("name")?.name()
            let zone = node.required("zone")?.name()
            if let zone, !zones.contains(zone) { node.optional("zone")?.error(unknownName(zone, "zone", zones)) }
            let address = node.required("address")?.host()
            func siteOnly(_ key: String) -> Field? {
                guard let field = node.optional(key) else { return nil }
                if managed { field.error("applies to a node of a site-managed nginx (managed: false)"); return nil }
                return field
            }
            let nodeDirectory = siteOnly("directory")?.filePath()
            let nodePid = siteOnly("pidFile")?.filePath()
            let nodeReload = siteOnly("reloadCommand")?.list { $0.nonEmptyString() }
            let cutField = node.optional("cutCommand"), reconnectField = node.optional("reconnectCommand")
            let cut = cutField?.list { $0.nonEmptyString() }, reconnect = reconnectField?.list { $0.nonEmptyString() }
            if cutField != nil, reconnectField == nil { node.required("reconnectCommand", hint: "a node cut off by cutCommand is brought back by reconnectCommand") }
            if reconnectField != nil, cutField == nil { node.required("cutCommand", hint: "reconnectCommand undoes cutCommand") }
            let keepalived = node.optional("keepalived").flatMap(KeepalivedProcess.decode)
            guard let nodeName, let zone, let address else { return nil }
            return Node(name: nodeName, zone: zone, address: address, directory: nodeDirectory, pidFile: nodePid, reloadCommand: nodeReload,
                        cutCommand: cut, reconnectCommand: reconnect, keepalived: keepalived)
        } ?? []
        let virtualAddress = map.optional("virtualAddress")?.host()
        if !nodes.isEmpty, virtualAddress == nil {
            map.required("virtualAddress", hint: "a keepalived pair moves one virtual address between its nodes")
        }
        guard let name, let listen, let preview else { return nil }
        return LoadBalancer(name: name, driver: driver, listen: listen, previewListen: preview, directory: directory, managed: managed,
                            reloadCommand: reload, drainTimeout: drainTimeout, maxFails: maxFails, failTimeout: failTimeout,
                            clientKeepalive: clientKeepalive, nodes: nodes, virtualAddress: virtualAddress,
                            passiveHealth: passiveHealth).with(site: site)
    }

    fileprivate func with(site: SiteNginxFiles) -> LoadBalancer {
        var copy = self
        copy.site = site
        return copy
    }
}

extension Service {
    static func decode(_ field: Field, zones knownZones: [String], loadBalancers: [LoadBalancer]) -> Service? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name")?.name()
        let zonesField = map.required("zones")
        let zones = zonesField?.list { item -> String? in
            guard let zone = item.name() else { return nil }
            if !knownZones.isEmpty, !knownZones.contains(zone) { item.error(unknownName(zone, "zone", knownZones)); return nil }
            return zone
        }
        if let zones, zones.isEmpty { zonesField?.error("must name at least one zone") }
        let replicas = map.required("replicasPerZone")?.int(min: 1, max: 1000)
        var balancer: String?
        if let lbField = map.optional("loadBalancer"), let lbName = lbField.name() {
            if loadBalancers.contains(where: { $0.name == lbName }) { balancer = lbName } else {
                lbField.error(unknownName(lbName, "load balancer", loadBalancers.map(\.name)))
            }
        }
        let instance = map.required("instance")?.mapping().flatMap { InstanceSpec.decode($0) }
        let health = map.optional("health")?.mapping().flatMap { HealthPaths.decode($0) } ?? HealthPaths()
        let drainTimeout = map.optional("drainTimeout")?.timeSpan(min: .ms(0)) ?? .seconds(60)
        let capacity = map.required("capacityQPS", hint: "what one instance serves at its latency objective, in requests per second")?.double(min: 0.001)
        let metricNames = map.optional("metricNames").flatMap(GatewayMetricNames.decode) ?? GatewayMetricNames()
        let hostLabels = map.optional("hostLabels").map(labelMap) ?? [:]
        guard let name, let zones, let replicas, let instance, let capacity else { return nil }
        var service = Service(name: name, zones: zones, replicasPerZone: replicas, loadBalancer: balancer, instance: instance,
                              health: health, drainTimeout: drainTimeout, capacityQPS: capacity, metricNames: metricNames)
        service.hostLabels = hostLabels
        return service
    }
}

extension InstanceSpec {
    static func decode(_ map: MappingReader) -> InstanceSpec? {
        defer { map.finish() }
        let driver = map.optional("driver")?.oneOf(Driver.self) ?? .process
        let commandField = map.required("command", hint: "e.g. \"yard-gateway --port {port} --version {version}\"")
        let command = commandField?.nonEmptyString()
        if let command, let commandField {
            let used = CommandTemplate.placeholders(in: command)
            for placeholder in used where !InstanceSpec.placeholders.contains(placeholder) {
                let hint = Suggestion.closest(to: placeholder, in: InstanceSpec.placeholders).map { "; did you mean {\($0)}?" } ?? ""
                commandField.error("unknown placeholder {\(placeholder)}\(hint) (known: \(InstanceSpec.placeholders.map { "{\($0)}" }.joined(separator: ", ")))")
            }
            if !used.contains("port") { commandField.error("must pass {port} to the instance, or instances of one host would collide") }
        }
        let host = map.optional("host")?.host() ?? "127.0.0.1"
        let portsField = map.required("ports", hint: "a base port such as 9100 or a range such as 9100-9199")
        var ports: PortRange?
        if let portsField {
            if case .scalar(let text, _, _) = portsField.node, let parsed = PortRange(parsing: text) { ports = parsed } else {
                portsField.expected("a base port such as 9100 or a range such as 9100-9199")
            }
        }
        guard let command, let ports else { return nil }
        return InstanceSpec(driver: driver, command: command, host: host, ports: ports)
    }
}

extension HealthPaths {
    static func decode(_ map: MappingReader) -> HealthPaths? {
        defer { map.finish() }
        func path(_ key: String, _ fallback: String) -> String {
            guard let field = map.optional(key), let text = field.nonEmptyString() else { return fallback }
            if !text.hasPrefix("/") { field.error("must be a path starting with /, got \"\(text)\"") }
            return text
        }
        return HealthPaths(readiness: path("readiness", "/readyz"), liveness: path("liveness", "/healthz"), metrics: path("metrics", "/metrics"))
    }
}

/// `unknown zone "zone-c"; did you mean "zone-a"? (known: zone-a, zone-b)`
func unknownName(_ name: String, _ what: String, _ known: [String]) -> String {
    let hint = Suggestion.closest(to: name, in: known).map { "; did you mean \"\($0)\"?" } ?? ""
    var seen = Set<String>()
    let distinct = known.filter { seen.insert($0).inserted }
    let list = distinct.isEmpty ? "none defined" : "known: \(distinct.joined(separator: ", "))"
    return "unknown \(what) \"\(name)\"\(hint) (\(list))"
}

/// `{name: value, …}`: names and values as `name()` takes them (a value may be a number, read as its text).
func labelMap(_ field: Field) -> [String: String] {
    guard let map = field.mapping() else { return [:] }
    var labels: [String: String] = [:]
    for key in map.pairs.map(\.key) {
        guard !key.isEmpty, key.count <= 63, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./".contains($0)) }) else {
            map.optional(key)?.error("a label name is at most 63 letters, digits, '-', '_', '.' or '/', got \"\(key)\"")
            continue
        }
        guard let value = map.optional(key)?.name() else { continue }
        labels[key] = value
    }
    return labels
}
