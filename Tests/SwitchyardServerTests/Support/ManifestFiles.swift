import Foundation

/// Manifests tests write into a daemon's folder before a reload.
enum ManifestFiles {
    /// The example `local` topology renamed, on other ports: a valid topology to add.
    static func topology(named name: String, listen: Int, ports: ClosedRange<Int>, replicasPerZone: Int = 2, zones: [String] = ["zone-a", "zone-b"]) throws -> String {
        var local = try String(contentsOf: DaemonHarness.repositoryRoot.appendingPathComponent("topologies/local.yaml"), encoding: .utf8)
        // The fleet only: local's datastores (its members in zone-a and zone-b, on fixed ports) stay with local.
        if let datastores = local.range(of: "\ndatastores:") { local = String(local[..<datastores.lowerBound]) + "\n" }
        return local
            .replacingOccurrences(of: "name: local", with: "name: \(name)")
            .replacingOccurrences(of: "127.0.0.1:7800", with: "127.0.0.1:\(listen)")
            .replacingOccurrences(of: "127.0.0.1:7801", with: "127.0.0.1:\(listen + 1)")
            .replacingOccurrences(of: "ports: 7810-7829", with: "ports: \(ports.lowerBound)-\(ports.upperBound)")
            .replacingOccurrences(of: "replicasPerZone: 2", with: "replicasPerZone: \(replicasPerZone)")
            .replacingOccurrences(of: "  - zone-a\n  - zone-b\n", with: zones.map { "  - \($0)\n" }.joined())
            .replacingOccurrences(of: "zones: [zone-a, zone-b]", with: "zones: [\(zones.joined(separator: ", "))]")
            .replacingOccurrences(of: "directory: .yard/nginx/edge", with: "directory: .yard/nginx/\(name)")
    }

    /// The line of `needle`'s first occurrence in `text`, from 1.
    static func line(of needle: String, in text: String) -> Int? {
        guard let range = text.range(of: needle) else { return nil }
        return text[..<range.lowerBound].filter { $0 == "\n" }.count + 1
    }

    static func write(_ text: String, to folder: URL, _ path: String) throws {
        try text.write(to: folder.appendingPathComponent(path), atomically: true, encoding: .utf8)
    }
}
