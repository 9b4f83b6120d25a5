import Foundation

extension DrillPlaybook {
    static func decode(_ map: MappingReader, _ context: DecodingContext) -> DrillPlaybook? {
        let name = map.required("name")?.name()
        let description = map.optional("description")?.string()
        let topology = context.reference(map.required("topology"), to: .topology)
        let schedule = map.optional("schedule")?.mapping().flatMap { DrillSchedule.decode($0) }
        let steadyState = map.optional("steadyState")?.list { SteadyStateProbe.decode($0) } ?? []
        let load = map.required("load", hint: "requestsPerSecond and streams driven through the load balancer during the drill")?
            .mapping().flatMap { LoadProfile.decode($0) }
        let fault = map.required("fault", hint: "kind: \(FaultSpec.kinds.joined(separator: " | ")) and its fields")?
            .mapping().flatMap { FaultSpec.decode($0, topology: topology ?? "", context) }
        let duration = map.required("duration", hint: "how long the fault stays, e.g. 2m")?.timeSpan(min: .seconds(1), max: .hours(24))
        let guardrails = map.optional("guardrails")?.mapping().flatMap { Guardrails.decode($0) } ?? Guardrails()
        let objectives = map.required("objectives", hint: "rto and minSuccessRate at least")?.mapping().flatMap { Objectives.decode($0) }
        let notify = NotifyTarget.decodeList(map.optional("notify"))
        if let objectives, objectives.maxLostWrites != nil, let fault {
            if case .dbPrimaryLoss = fault {} else {
                map.optional("objectives")?.asMapping?.optional("maxLostWrites")?.error("is measured by the write probe of a db-primary-loss fault (this fault is \(fault.kind))")
            }
        }
        guard let name, let topology, let load, let fault, let duration, let objectives, let notify else { return nil }
        var playbook = DrillPlaybook(name: name, description: description, topology: topology, schedule: schedule, steadyState: steadyState,
                                     load: load, fault: fault, duration: duration, guardrails: guardrails, objectives: objectives)
        playbook.notify = notify
        return playbook
    }
}

extension DrillSchedule {
    static func decode(_ map: MappingReader) -> DrillSchedule? {
        defer { map.finish() }
        let cronField = map.required("cron", hint: "five fields (minute hour day month weekday) or @daily, @weekly, @monthly, @yearly")
        let cron = cronField?.nonEmptyString()
        var cronValid = false
        if let cron, let cronField {
            do {
                _ = try CronExpression(parsing: cron)
                cronValid = true
            } catch {
                // Point at the offending token: the scalar's column, past an opening quote, plus the token's offset.
                var location = cronField.location
                if case .scalar(_, _, let quoted) = cronField.node, quoted { location.column += 1 }
                location.column += error.position
                cronField.sink.report(location, cronField.path, error.description)
            }
        }
        let zoneField = map.required("timeZone", hint: "an IANA name such as Asia/Shanghai or UTC")
        let timeZone = zoneField?.nonEmptyString()
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            let hint = Suggestion.closest(to: timeZone, in: TimeZone.knownTimeZoneIdentifiers).map { "; did you mean \"\($0)\"?" } ?? ""
            zoneField?.error("unknown IANA time zone \"\(timeZone)\"\(hint)")
        }
        let blackouts = map.optional("blackouts")?.list { Blackout.decode($0) } ?? []
        let concurrency = map.optional("concurrency")?.oneOf(Concurrency.self) ?? .forbid
        let startingDeadline = map.optional("startingDeadline")?.timeSpan(min: .seconds(1)) ?? .hours(1)
        let deferDeadline = map.optional("deferDeadline")?.timeSpan(min: .seconds(0)) ?? .hours(2)
        guard let cron, cronValid, let timeZone, TimeZone(identifier: timeZone) != nil else { return nil }
        return DrillSchedule(cron: cron, timeZone: timeZone, blackouts: blackouts, concurrency: concurrency,
                             startingDeadline: startingDeadline, deferDeadline: deferDeadline)
    }
}

extension Blackout {
    static func decode(_ field: Field) -> Blackout? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name", hint: "why drills stop then, e.g. singles-day-freeze")?.nonEmptyString()
        if map.has("days") {
            let days = map.required("days")?.list { $0.oneOf(Weekday.self) }
            func time(_ key: String) -> TimeOfDay? {
                guard let field = map.required(key), let text = field.string() else { return nil }
                guard let value = TimeOfDay(parsing: text) else { field.expected("a time of day such as 09:00 or 24:00"); return nil }
                return value
            }
            let from = time("from"), to = time("to")
            if let from, let to, from == to { map.optional("to")?.error("must differ from from (\(from))") }
            guard let name, let days, let from, let to else { return nil }
            return .weekly(name: name, days: days, from: from, to: to)
        }
        func dateTime(_ key: String) -> LocalDateTime? {
            guard let field = map.required(key, hint: "a local date-time such as 2026-11-01T00:00, or days with from/to times for a weekly window"),
                  let text = field.string() else { return nil }
            guard let value = LocalDateTime(parsing: text) else { field.expected("a date such as 2026-11-01 or 2026-11-01T09:30"); return nil }
            return value
        }
        let from = dateTime("from"), to = dateTime("to")
        if let from, let to, to <= from { map.optional("to")?.error("must be after from (\(from)), got \(to)") }
        guard let name, let from, let to, from < to else { return nil }
        return .range(name: name, from: from, to: to)
    }
}

extension SteadyStateProbe {
    static func decode(_ field: Field) -> SteadyStateProbe? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let name = map.required("name")?.name()
        let path = pathValue(map.required("path"), default: "/")
        let status = map.optional("expectStatus")?.int(min: 100, max: 599) ?? 200
        let rate = map.optional("minSuccessRate")?.ratio() ?? Ratio(1)
        let requests = map.optional("requests")?.int(min: 1, max: 100_000) ?? 20
        guard let name, map.has("path") else { return nil }
        return SteadyStateProbe(name: name, path: path, expectStatus: status, minSuccessRate: rate, requests: requests)
    }
}

extension LoadProfile {
    static func decode(_ map: MappingReader) -> LoadProfile? {
        defer { map.finish() }
        let rate = map.required("requestsPerSecond")?.int(min: 0, max: 100_000)
        let streams = map.optional("streams")?.int(min: 0, max: 100_000) ?? 0
        let streamDuration = map.optional("streamDuration")?.timeSpan(min: .ms(1)) ?? .seconds(10)
        guard let rate else { return nil }
        if rate == 0, streams == 0 { map.optional("requestsPerSecond")?.error("a drill needs traffic to measure: requestsPerSecond or streams must be above 0") }
        return LoadProfile(requestsPerSecond: rate, streams: streams, streamDuration: streamDuration)
    }
}

extension FaultSpec {
    static func decode(_ map: MappingReader, topology: String, _ context: DecodingContext) -> FaultSpec? {
        defer { map.finish() }
        let kindField = map.required("kind", hint: "one of \(FaultSpec.kinds.joined(separator: ", "))")
        guard let kindField, let kind = kindField.string() else { map.accept(contentsOf: map.pairs.map(\.key)); return nil }
        func command(_ key: String, required: Bool, hint: String) -> [String]? {
            guard let field = required ? map.required(key, hint: hint) : map.optional(key) else { return nil }
            if case .scalar = field.node {
                guard let text = field.nonEmptyString() else { return nil }
                return CommandTemplate.words(text)
            }
            let words = field.list { $0.nonEmptyString() }
            if let words, words.isEmpty { field.error("must not be empty") }
            return words
        }
        switch kind {
        case "instance-kill":
            let service = context.reference(map.required("service"), to: .service(topology: topology))
            let zone = context.reference(map.optional("zone"), to: .zone(topology: topology))
            let count = map.optional("count")?.int(min: 1, max: 10_000) ?? 1
            return service.map { .instanceKill(service: $0, zone: zone, count: count) }
        case "zone-outage":
            let zone = context.reference(map.required("zone"), to: .zone(topology: topology))
            let mode = map.optional("mode")?.oneOf(ZoneOutageMode.self) ?? .stop
            return zone.map { .zoneOutage(zone: $0, mode: mode) }
        case "lb-node-kill":
            let balancer = context.reference(map.required("loadBalancer"), to: .loadBalancer(topology: topology))
            let node = context.reference(map.optional("node"), to: .loadBalancerNode(topology: topology, loadBalancer: balancer ?? ""))
            return balancer.map { .lbNodeKill(loadBalancer: $0, node: node) }
        case "exec":
            let run = command("command", required: true, hint: "the command that breaks something, e.g. [pg_ctl, stop, -D, /var/lib/pg, -m, immediate]")
            let restore = command("restore", required: true, hint: "every exec fault needs the command that undoes it; it runs even after a crash")
            let check = command("recoveryCheck", required: false, hint: "")
            let datastore = context.reference(map.optional("datastore"), to: .datastore(topology: topology))
            guard let run, let restore else { return nil }
            return .exec(command: run, restore: restore, recoveryCheck: check, datastore: datastore)
        case "db-primary-loss":
            let datastore = context.reference(map.required("datastore", hint: "a datastore of the topology with members"), to: .datastore(topology: topology))
            let rate = map.optional("writesPerSecond")?.int(min: 1, max: 1000) ?? 20
            let mode = map.optional("mode")?.oneOf(PrimaryLossMode.self) ?? .kill
            return datastore.map { .dbPrimaryLoss(datastore: $0, writesPerSecond: rate, mode: mode) }
        default:
            let hint = Suggestion.closest(to: kind, in: FaultSpec.kinds).map { " (did you mean '\($0)'?)" } ?? ""
            kindField.error("expected one of \(FaultSpec.kinds.joined(separator: ", ")), got \"\(kind)\"\(hint)")
            map.accept(contentsOf: map.pairs.map(\.key))
            return nil
        }
    }
}

extension Guardrails {
    static func decode(_ map: MappingReader) -> Guardrails? {
        defer { map.finish() }
        return Guardrails(minSuccessRate: map.optional("minSuccessRate")?.ratio(),
                          floorFor: map.optional("floorFor")?.timeSpan(min: .seconds(1)) ?? .seconds(10),
                          maxP99: map.optional("maxP99")?.timeSpan(min: .ms(1)))
    }
}

extension Objectives {
    static func decode(_ map: MappingReader) -> Objectives? {
        defer { map.finish() }
        let rto = map.required("rto", hint: "time to recover, from injection to success back at minSuccessRate, e.g. 30s")?.timeSpan(min: .ms(1))
        let rate = map.required("minSuccessRate")?.ratio()
        let lost = map.optional("maxRequestsLost")?.int(min: 0)
        let cut = map.optional("maxStreamsCut")?.int(min: 0)
        let lostWrites = map.optional("maxLostWrites")?.int(min: 0)
        guard let rto, let rate else { return nil }
        return Objectives(rto: rto, minSuccessRate: rate, maxRequestsLost: lost, maxStreamsCut: cut, maxLostWrites: lostWrites)
    }
}
