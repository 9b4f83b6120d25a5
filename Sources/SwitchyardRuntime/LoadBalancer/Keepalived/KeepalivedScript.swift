import SwitchyardCore

/// The shell side of driving keepalived on a node: reading which addresses the node carries, and starting keepalived
/// again when it is gone. Scripts take their values as `$1`, `$2`, …, never spliced into the text.
enum KeepalivedScript {
    /// Whether `ip -o addr show`'s output lists `address` on any interface (`inet 10.0.0.10/24 …`).
    static func carries(_ address: String, in output: String) -> Bool {
        for line in output.split(separator: "\n") {
            let words = line.split(whereSeparator: \.isWhitespace)
            for (index, word) in words.enumerated() where (word == "inet" || word == "inet6") && index + 1 < words.count {
                if words[index + 1].split(separator: "/").first.map(String.init) == address { return true }
            }
        }
        return false
    }

    /// `$1` the parent's pid file, `$2` the VRRP child's, the rest the start command. Prints `running PID` when keepalived
    /// runs (the pid file names a live process called keepalived), else removes the pid files (stale: their process is
    /// gone, or the pid was taken by another process, which keepalived would take for itself running), starts it and
    /// prints `started PID` followed by the stale files it removed. Exits 1 with keepalived's output when it would not start.
    static let ensureRunning = #"""
        pid_file=$1; vrrp_file=$2; shift 2
        alive() { [ -s "$1" ] && p=$(cat -- "$1") && [ -r "/proc/$p/comm" ] && [ "$(cat "/proc/$p/comm")" = keepalived ]; }
        if alive "$pid_file"; then echo "running $(cat -- "$pid_file")"; exit 0; fi
        stale=""
        for f in "$pid_file" "$vrrp_file"; do
            if [ -e "$f" ]; then stale="$stale $f"; rm -f -- "$f"; fi
        done
        log=$(mktemp); trap 'rm -f -- "$log"' EXIT
        if ! "$@" </dev/null >"$log" 2>&1; then echo "the start command failed:"; cat -- "$log"; exit 1; fi
        i=0
        while [ $i -lt 100 ]; do
            if alive "$pid_file"; then echo "started $(cat -- "$pid_file")$stale"; exit 0; fi
            sleep 0.1; i=$((i + 1))
        done
        echo "keepalived wrote no live pid to $pid_file within 10 s:"; cat -- "$log"; exit 1
        """#
}
