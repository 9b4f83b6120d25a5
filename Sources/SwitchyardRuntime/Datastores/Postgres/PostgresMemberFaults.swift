import Foundation
import SwitchyardCore

/// The two ways a drill loses a member, run on its host, and the undoing of the second.
extension PostgresMemberTools {
    /// What a loss did, and when, as this process's clock would have read it on the member's host: the moment of the
    /// kill (or the cut) inside the script, placed between sending and the answer by assuming the way there takes as
    /// long as the way back (over a reused SSH connection a few milliseconds; on this machine the fork of `sh`).
    struct Loss: Sendable {
        var at: ContinuousClock.Instant
        var detail: String
    }

    /// SIGSTOP to the postmaster (so it forks nothing more), SIGKILL to every child of it and then to it, as when the
    /// machine dies: no shutdown checkpoint, no goodbye to clients or standbys. Waits up to 5 s for them to be gone.
    func killPostmaster(_ postmaster: Int32) async throws -> Loss {
        try await timed("SIGKILL to postmaster \(postmaster) of \(member.name)", """
            pid=$1; t0=$(date +%s%N)
            kill -STOP "$pid" || exit 3
            children=""
            for s in /proc/[0-9]*/stat; do
              st=$(cat "$s" 2>/dev/null) || continue
              rest=${st##*) }; set -- $rest
              if [ "$2" = "$pid" ]; then c=${s#/proc/}; children="$children ${c%/stat}"; fi
            done
            # The loss is the first SIGKILL: a killed backend's clients see it at once. (The scan above reads every
            # /proc entry and may take tens of milliseconds; nothing is lost during it, the postmaster only stands still.)
            t1=$(date +%s%N)
            for c in $children; do kill -KILL "$c" 2>/dev/null; done
            kill -KILL "$pid"
            n=0
            while [ $n -lt 500 ]; do
              any=0; for p in $pid $children; do if alive "$p"; then any=1; fi; done
              [ $any = 0 ] && break
              sleep 0.01; n=$((n+1))
            done
            set -- $children
            echo "$((t1 - t0)) $(( $(date +%s%N) - t0 )) SIGKILL to postmaster $pid and its $# processes"
            """, ["\(postmaster)"])
    }

    /// Every packet to the member's port and from it dropped on its host (iptables, rules commented `tag`): the server
    /// runs on, unreachable; open connections go silent.
    func cutOff(tag: String) async throws -> Loss {
        let sent = ContinuousClock.now
        let cut = try await firewall.cut(ports: [member.address.port], tag: tag)
        let answered = ContinuousClock.now
        return Loss(at: Self.place(sent: sent, answered: answered, toAct: cut.nanosecondsToFirstRule, inAll: cut.nanosecondsInAll),
                    detail: "port \(member.address.port) cut off (iptables DROP in and out, tagged \(tag))" + Self.onHost(shell.hostName))
    }

    /// Removes every rule `cutOff(tag:)` added (however many times it ran); how many there were.
    func reconnect(tag: String) async throws -> Int {
        try await firewall.reconnect(ports: [member.address.port], tag: tag)
    }

    /// The member's port, in and out, on its host.
    var firewall: HostFirewall { HostFirewall(shell: shell, scope: HostFirewall.Scope(replies: true)) }

    /// The act at `toAct` nanoseconds into a script that ran `inAll`, sent at `sent` and answered at `answered`, on this
    /// process's clock: the way there is taken to last as long as the way back.
    static func place(sent: ContinuousClock.Instant, answered: ContinuousClock.Instant, toAct: Int64, inAll: Int64) -> ContinuousClock.Instant {
        let way = max(.zero, (answered - sent) - .nanoseconds(inAll)) / 2
        return min(answered, sent + way + .nanoseconds(toAct))
    }

    /// Runs a script that prints `NS_TO_THE_ACT NS_IN_ALL DETAIL`, and places the act on this process's clock.
    private func timed(_ what: String, _ text: String, _ arguments: [String]) async throws -> Loss {
        let sent = ContinuousClock.now
        let output = try await script(what, text, arguments)
        let answered = ContinuousClock.now
        let words = output.split(separator: " ", maxSplits: 2).map(String.init)
        guard words.count == 3, let toAct = Int64(words[0]), let inAll = Int64(words[1]) else {
            throw Failure.failed(what, host: shell.hostName, status: 0, output: "unexpected answer: \(output)")
        }
        return Loss(at: Self.place(sent: sent, answered: answered, toAct: toAct, inAll: inAll), detail: words[2] + Self.onHost(shell.hostName))
    }
}
