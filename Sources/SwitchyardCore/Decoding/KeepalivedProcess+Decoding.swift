extension KeepalivedProcess {
    /// `keepalived: {pidFile, vrrpPidFile, start}` on a node; what is left out keeps Debian's default.
    static func decode(_ field: Field) -> KeepalivedProcess? {
        guard let map = field.mapping() else { return nil }
        defer { map.finish() }
        let pid = map.optional("pidFile")?.filePath()
        let vrrp = map.optional("vrrpPidFile")?.filePath()
        let start = map.optional("start")?.list { $0.nonEmptyString() }
        return KeepalivedProcess(pidFile: pid ?? Self.debian.pidFile, vrrpPidFile: vrrp ?? Self.debian.vrrpPidFile, start: start ?? Self.debian.start)
    }
}
