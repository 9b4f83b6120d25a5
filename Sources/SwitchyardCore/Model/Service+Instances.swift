/// One instance of a service: which slot and zone it belongs to, its index and its port.
public struct InstanceID: Sendable, Hashable, Codable, CustomStringConvertible {
    public var service: String
    public var zone: String
    public var slot: Slot
    public var index: Int
    public var port: Int

    public init(service: String, zone: String, slot: Slot, index: Int, port: Int) {
        self.service = service
        self.zone = zone
        self.slot = slot
        self.index = index
        self.port = port
    }

    /// `gateway-zone-a-blue-0`: unique in a topology, used in logs and as the `{instance}` placeholder.
    public var name: String { "\(service)-\(zone)-\(slot.rawValue)-\(index)" }
    public var description: String { name }
}

extension Service {
    /// Ports a release needs: both slots, every zone, every replica.
    public var portsNeeded: Int { Slot.allCases.count * zones.count * replicasPerZone }

    /// The instances of both slots, with ports handed out in order: slot, then zone, then replica.
    /// Deterministic, so that a restarted control plane finds the same instances on the same ports.
    public var instances: [InstanceID] {
        var result: [InstanceID] = []
        var port = instance.ports.first
        for slot in Slot.allCases {
            for zone in zones {
                for index in 0..<replicasPerZone {
                    result.append(InstanceID(service: name, zone: zone, slot: slot, index: index, port: port))
                    port += 1
                }
            }
        }
        return result
    }

    public func instances(slot: Slot, zone: String? = nil) -> [InstanceID] {
        instances.filter { $0.slot == slot && (zone == nil || $0.zone == zone) }
    }

    /// The host that runs `id`: the zone's hosts take its replicas in turn (replica i on host i mod count).
    /// Nil when the zone lists no hosts: the instance is a local process.
    public func host(of id: InstanceID) -> ZoneHost? {
        let zoneHosts = hosts.filter { $0.zone == id.zone }
        return zoneHosts.isEmpty ? nil : zoneHosts[id.index % zoneHosts.count]
    }

    /// The address `id` listens on: its host's address, or the instance spec's `host` for a local process.
    public func listenAddress(of id: InstanceID) -> HostPort { HostPort(host: host(of: id)?.address ?? instance.host, port: id.port) }

    /// The command line for one instance: the template with its placeholders filled in, split into words.
    public func command(for id: InstanceID, version: String) -> [String] {
        let values = ["port": "\(id.port)", "host": listenAddress(of: id).host, "version": version, "zone": id.zone, "slot": id.slot.rawValue,
                      "instance": id.name, "service": name]
        return CommandTemplate.words(instance.command).map { CommandTemplate.fill($0, values) }
    }
}

/// Command templates: words split like a shell does for plain and quoted words (no expansion),
/// and `{name}` placeholders.
public enum CommandTemplate {
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped { current.append(character); escaped = false; continue }
            if character == "\\" && quote != "'" { escaped = true; inWord = true; continue }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" { quote = character; inWord = true; continue }
            if character.isWhitespace {
                if inWord { words.append(current); current = ""; inWord = false }
                continue
            }
            current.append(character)
            inWord = true
        }
        if inWord { words.append(current) }
        return words
    }

    /// The placeholder names a template uses, in order of appearance.
    public static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }

    public static func fill(_ text: String, _ values: [String: String]) -> String {
        var result = text
        for (key, value) in values { result = result.replacingOccurrences(of: "{\(key)}", with: value) }
        return result
    }
}
