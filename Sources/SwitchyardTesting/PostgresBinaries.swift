import Foundation

/// Where PostgreSQL's programs are: Debian keeps them in /usr/lib/postgresql/VERSION/bin, off PATH.
public enum PostgresBinaries {
    /// The folder of the newest PostgreSQL's binaries holding `program` (/usr/lib/postgresql/*/bin, then /usr/local/bin
    /// and PATH); nil when none is installed.
    public static func find(holding program: String = "pg_ctl") -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { name in Int(name).map { (version: $0, bin: "\(root)/\(name)/bin") } }
            .filter { FileManager.default.isExecutableFile(atPath: "\($0.bin)/\(program)") }
            .sorted { $0.version > $1.version }
        if let newest = versions.first { return newest.bin }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin"
        return (["/usr/local/bin"] + path.split(separator: ":").map(String.init)).first { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }
}
