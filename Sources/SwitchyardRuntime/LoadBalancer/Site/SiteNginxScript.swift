import Foundation
import SwitchyardCore

/// The POSIX shell scripts Switchyard runs on a node of a site-managed nginx, locally or over SSH: each is one
/// self-contained command line (values single-quoted, the include's text in base64), so a node needs only `sh`,
/// coreutils, `ps` and its nginx.
enum SiteNginxScript {
    /// Installs `text` as the node's include file (the file it replaces kept beside it as `.previous`) and runs
    /// `nginx -t`; a failed test puts the old file back. Prints `checked MS PREVIOUS` (PREVIOUS: `kept` or `none`).
    static func installAndTest(_ node: SiteNginxNode, text: String) -> String {
        let sudo = node.reloadCommand.first == "sudo" ? "sudo -n " : ""
        return """
        PATH="$PATH:/usr/sbin:/sbin"; f=\(quote(node.include)); conf=\(quote(node.config))
        mkdir -p "$(dirname "$f")" || { echo "cannot create the folder of $f"; exit 10; }
        tmp="$f.next.$$"
        printf '%s' \(quote(Data(text.utf8).base64EncodedString())) | base64 -d > "$tmp" || { rm -f "$tmp"; echo "cannot write $tmp"; exit 11; }
        if [ -f "$f" ]; then cp -p "$f" "$f.previous" || { rm -f "$tmp"; echo "cannot keep $f as $f.previous"; exit 12; }; previous=kept
        else rm -f "$f.previous"; previous=none; fi
        mv -f "$tmp" "$f" || { rm -f "$tmp"; echo "cannot install $f"; exit 13; }
        start=$(date +%s%N)
        if out=$(\(sudo)nginx -t -q -c "$conf" 2>&1); then echo "checked $(( ($(date +%s%N) - start) / 1000000 )) $previous"; exit 0; fi
        if [ "$previous" = kept ]; then mv -f "$f.previous" "$f"; else rm -f "$f"; fi
        printf '%s\\n' "$out"; exit 20
        """
    }

    /// Puts back the include file `installAndTest` replaced (or removes it when there was none).
    static func revert(_ node: SiteNginxNode, previous: Bool) -> String {
        let f = quote(node.include)
        return previous ? "mv -f \(f).previous \(f)" : "rm -f \(f)"
    }

    /// Reloads with the node's command and waits until no worker of the generation before it accepts and a new one
    /// runs. Prints `complete MS DRAINING`.
    static func reloadAndConfirm(_ node: SiteNginxNode, limit: Duration = .seconds(5)) -> String {
        let reload = node.reloadCommand.map(quote).joined(separator: " ")
        return """
        PATH="$PATH:/usr/sbin:/sbin"; pidfile=\(quote(node.pidFile))
        master=$(cat "$pidfile" 2>/dev/null) || { echo "no nginx pid file $pidfile"; exit 30; }
        [ -d "/proc/$master" ] || { echo "the nginx master $master named by $pidfile is not running"; exit 31; }
        old=" $(ps -o pid=,args= --ppid "$master" | awk '/worker process/ && !/shutting down/ { printf "%s ", $1 }')"
        start=$(date +%s%N)
        out=$(\(reload) 2>&1) || { printf '%s\\n' "$out"; exit 32; }
        limit=$((start + \(limit.components.seconds) * 1000000000))
        while [ "$(date +%s%N)" -lt "$limit" ]; do
            fresh=0; accepting=0
            workers=$(ps -o pid=,args= --ppid "$master")
            draining=$(printf '%s\n' "$workers" | awk '/worker process/ && /shutting down/ { n++ } END { print n + 0 }')
            for pid in $(printf '%s\n' "$workers" | awk '/worker process/ && !/shutting down/ { print $1 }'); do
                case "$old" in *" $pid "*) accepting=$((accepting + 1)) ;; *) fresh=$((fresh + 1)) ;; esac
            done
            if [ "$fresh" -gt 0 ] && [ "$accepting" -eq 0 ]; then echo "complete $(( ($(date +%s%N) - start) / 1000000 )) $draining"; exit 0; fi
            sleep 0.005
        done
        echo "old workers$old still accept \(limit.components.seconds) s after the reload"; exit 33
        """
    }

    /// True when the node's nginx master runs. Prints `running PID` or why not.
    static func running(_ node: SiteNginxNode) -> String {
        """
        pidfile=\(quote(node.pidFile)); master=$(cat "$pidfile" 2>/dev/null) || { echo "no nginx pid file $pidfile"; exit 30; }
        [ -d "/proc/$master" ] || { echo "the nginx master $master named by $pidfile is not running"; exit 31; }
        echo "running $master"
        """
    }

    /// One word for `sh`: single quotes, a quote inside written as '\''.
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'" }
}
