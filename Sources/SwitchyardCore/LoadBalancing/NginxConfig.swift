/// The nginx configuration for one load balancer, rendered from what it must route: pure text,
/// so what a switch writes is tested without nginx. It carries what SSE needs: HTTP/1.1 to the
/// upstreams with an empty Connection header (keep-alive), no buffering, read timeouts longer than
/// any stream, a `worker_shutdown_timeout` no shorter than the drain timeout, passive health, and
/// `proxy_next_upstream` so a request that has not started streaming is retried on another server.
public struct NginxConfig: Sendable, Hashable {
    public var balancer: LoadBalancer
    public var service: String
    /// The instances that take users' traffic.
    public var live: [HostPort]
    /// The instances the preview listener reaches (the idle slot); may be empty.
    public var preview: [HostPort]
    /// The old slot during a bake: `backup` servers of the live upstream, which nginx uses only when
    /// every live server has failed (refused, timed out, marked down), so a new slot that dies costs no
    /// request that had not started its answer. Empty outside a bake.
    public var backup: [HostPort]
    /// The absolute prefix nginx runs from (logs, pid, temp files live under it).
    public var prefix: String
    /// A label written into the file and into the `X-Yard-Routing` response header, e.g. `zone-a=green,zone-b=green`.
    public var routingLabel: String
    public var passiveHealth: Bool

    public init(balancer: LoadBalancer, service: String, live: [HostPort], preview: [HostPort], prefix: String,
                routingLabel: String, passiveHealth: Bool = true, backup: [HostPort] = []) {
        self.balancer = balancer
        self.service = service
        self.live = live
        self.preview = preview
        self.backup = backup
        self.prefix = prefix
        self.routingLabel = routingLabel
        self.passiveHealth = passiveHealth
    }

    public enum RenderError: Error, Sendable, Hashable, CustomStringConvertible {
        case noLiveInstance(String)
        case unsafePrefix(String)
        case unsafeHost(String)

        public var description: String {
            switch self {
            case .noLiveInstance(let service): "refusing to render a configuration that routes \(service) to no instance"
            case .unsafeHost(let host): "refusing to write the host \(host) into nginx's configuration: it is not a host name or an IP address"
            case .unsafePrefix(let prefix):
                "refusing to write nginx's prefix \(prefix) into its configuration: it holds a control character, a quote, `$` or `\\`"
            }
        }
    }

    public func render() throws(RenderError) -> String {
        guard let prefix = Self.quoted(prefix) else { throw .unsafePrefix(self.prefix) }
        try check([balancer.listen, balancer.previewListen])
        let accessLog = "access_log \(prefix(Self.accessLogPath)) yard_json;"
        return """
        # Written by Switchyard for load balancer \(balancer.name), service \(service). Routing: \(routingLabel).
        # Do not edit: the next switch rewrites it.
        worker_processes 1;
        pid \(prefix("nginx.pid"));
        error_log \(prefix("logs/error.log")) warn;
        worker_shutdown_timeout \(seconds(balancer.drainTimeout));
        events {
            worker_connections 8192;
        }
        http {
            access_log off;
            \(Self.accessLogFormat)
            keepalive_timeout \(seconds(balancer.clientKeepalive));
            client_body_temp_path \(prefix("temp/client_body"));
            proxy_temp_path \(prefix("temp/proxy"));
            fastcgi_temp_path \(prefix("temp/fastcgi"));
            uwsgi_temp_path \(prefix("temp/uwsgi"));
            scgi_temp_path \(prefix("temp/scgi"));
        \(upstreams())\(server(balancer.listen, upstreamLive, "live", accessLog))\(server(balancer.previewListen, upstreamPreview, "preview", accessLog))}

        """
    }

    /// The upstream blocks alone, and the preview server on `preview`: the include file Switchyard owns in a
    /// site-managed nginx, whose own `server` proxies to `upstreamLive` (see docs/fleet.md). No path of this machine is
    /// written into it, so the same file serves every node.
    public func renderInclude(preview: HostPort) throws(RenderError) -> String {
        try check([preview])
        return """
        # Written by Switchyard for load balancer \(balancer.name), service \(service). Routing: \(routingLabel).
        # Do not edit: the next switch rewrites it. The site's own server proxies to `\(upstreamLive)`.
        \(upstreams())\(server(preview, upstreamPreview, "preview", "access_log off;"))
        """
    }

    /// The live upstream's name: what a site's `proxy_pass http://…;` names.
    public var upstreamLive: String { "\(identifier(service))_live" }
    var upstreamPreview: String { "\(identifier(service))_preview" }

    private func check(_ listeners: [HostPort]) throws(RenderError) {
        guard !live.isEmpty else { throw .noLiveInstance(service) }
        if let bad = (live + preview + backup + listeners).first(where: { !HostPort.isSafeHost($0.host) }) { throw .unsafeHost(bad.host) }
    }

    private var passive: Bool { passiveHealth && balancer.passiveHealth }

    private func upstreams() -> String {
        let health = passive ? " max_fails=\(balancer.maxFails) fail_timeout=\(seconds(balancer.failTimeout))" : " max_fails=0"
        func servers(_ list: [HostPort]) -> String {
            if list.isEmpty { return "        server 127.0.0.1:9 down;  # no idle slot deployed\n" }
            return list.map { "        server \($0)\(health);\n" }.joined()
        }
        return """
            upstream \(upstreamLive) {
        \(servers(live))\(backups.map { "        server \($0)\(health) backup;\n" }.joined())        keepalive 64;
            }
            upstream \(upstreamPreview) {
        \(servers(preview))        keepalive 16;
            }

        """
    }

    private var backups: [HostPort] { live.isEmpty ? [] : backup.filter { !live.contains($0) } }

    private func server(_ listen: HostPort, _ upstream: String, _ role: String, _ accessLog: String) -> String {
        // Streams may last as long as the drain timeout; reads wait at least that long.
        let readTimeout = max(balancer.drainTimeout.milliseconds / 1000, 3600)
        // A request not yet answered is retried on the next server (`non_idempotent`: completions are POSTs).
        // With backup servers, enough tries to pass every dead live server and reach one.
        let tries = backups.isEmpty ? 3 : max(3, live.count + 2)
        let retry = passive
            ? ["proxy_next_upstream error timeout http_502 http_503 non_idempotent;", "proxy_next_upstream_tries \(tries);", "proxy_next_upstream_timeout 5s;"]
            : ["proxy_next_upstream off;"]
        let retryLines = retry.joined(separator: "\n" + String(repeating: " ", count: 12))
        return """
            server {
                listen \(listen);
                \(accessLog)
                location / {
                    proxy_pass http://\(upstream);
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_set_header Host $host;
                    proxy_buffering off;
                    proxy_cache off;
                    proxy_request_buffering on;
                    proxy_connect_timeout 2s;
                    proxy_read_timeout \(readTimeout)s;
                    proxy_send_timeout \(readTimeout)s;
                    \(retryLines)
                    add_header X-Yard-Routing "\(routingLabel)" always;
                    add_header X-Yard-Listener \(role) always;
                }
            }

        """
    }

    /// Where, under the prefix, nginx logs one JSON line per request (read by `source: loadBalancer` gates).
    public static let accessLogPath = "logs/access.json"

    /// One JSON object per request (`AccessLogRecord` reads it): when it ended, the listener's port, the
    /// path, the user's status and duration, and per upstream attempt its address, status and time to
    /// the first byte of its answer. `escape=json` keeps every value a valid JSON string.
    static let accessLogFormat = #"log_format yard_json escape=json '{"t":$msec,"port":$server_port,"uri":"$uri","status":$status,"requestTime":$request_time,"bytes":$body_bytes_sent,"upstream":"$upstream_addr","upstreamStatus":"$upstream_status","headerTime":"$upstream_header_time"}';"#

    /// A path under the prefix as one double-quoted nginx word; nil when the prefix holds what quoting cannot make
    /// harmless (control characters, quotes, `$`, which nginx expands, or `\`).
    static func quoted(_ prefix: String) -> ((String) -> String)? {
        guard !prefix.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f || "\"'$\\".unicodeScalars.contains($0) }) else { return nil }
        return { "\"\(prefix)/\($0)\"" }
    }

    private func identifier(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }

    private func seconds(_ span: TimeSpan) -> String {
        span.milliseconds % 1000 == 0 ? "\(span.milliseconds / 1000)s" : "\(span.milliseconds)ms"
    }
}

extension Routing {
    /// `zone-a=green,zone-b=blue`, zones in order.
    public var label: String { keys.sorted().map { "\($0)=\(self[$0]!.rawValue)" }.joined(separator: ",") }
}
