/// Where a site-managed nginx (`managed: false`) keeps, on one node, what Switchyard touches: the one include file it
/// owns (its upstream blocks and its preview server), the site's main configuration it tests with `nginx -t` but never
/// writes, the master's pid file it reads to confirm a reload, and the command that reloads it. Pure: resolved from the
/// manifest, with the defaults of a Debian nginx.
public struct SiteNginxNode: Sendable, Hashable {
    public var name: String
    /// The node's address: where the preview server listens (at `previewListen`'s port) and how it is reached.
    public var address: String
    public var include: String
    public var config: String
    public var pidFile: String
    public var reloadCommand: [String]
    /// A loopback address can only be this machine: such a node is driven without SSH.
    public var isLocal: Bool

    /// The preview server of this node: the node's own address at the load balancer's preview port, so that every node
    /// of a pair can carry it (a node listening on the virtual address would lose it with the address).
    public func preview(_ balancer: LoadBalancer) -> HostPort {
        balancer.nodes.isEmpty ? balancer.previewListen : HostPort(host: address, port: balancer.previewListen.port)
    }
}

/// What a load balancer says about the files of a site-managed nginx; each node may override the directory, the pid
/// file and the reload command.
public struct SiteNginxFiles: Sendable, Hashable, Encodable {
    /// The include file Switchyard writes; nil: `DIRECTORY/switchyard/NAME.conf`.
    public var include: String?
    /// The site's main configuration (`nginx -t -c` tests it, the default reload names it); nil: `DIRECTORY/nginx.conf`.
    public var config: String?
    /// The nginx master's pid file; nil: `/run/nginx.pid` (Debian's).
    public var pidFile: String?

    public init(include: String? = nil, config: String? = nil, pidFile: String? = nil) {
        self.include = include
        self.config = config
        self.pidFile = pidFile
    }

    public static let defaultPidFile = "/run/nginx.pid"
}

extension LoadBalancer {
    /// The nodes of a site-managed nginx, resolved; one node (this machine, at the load balancer's directory) when the
    /// topology lists none. Empty for an nginx Switchyard runs itself.
    public var siteNodes: [SiteNginxNode] {
        guard !managed else { return [] }
        let listed = nodes.isEmpty ? [Node(name: "local", zone: "", address: "127.0.0.1")] : nodes
        return listed.map { node in
            let directory = node.directory ?? self.directory
            // Relative paths are taken from the node's directory (the load balancer's unless the node names its own).
            func inDirectory(_ path: String?, _ fallback: String) -> String {
                let path = path ?? fallback
                return path.hasPrefix("/") ? path : "\(directory)/\(path)"
            }
            let config = inDirectory(site.config, "nginx.conf")
            return SiteNginxNode(name: node.name, address: node.address,
                                 include: inDirectory(site.include, "switchyard/\(name).conf"),
                                 config: config,
                                 pidFile: node.pidFile ?? site.pidFile ?? SiteNginxFiles.defaultPidFile,
                                 reloadCommand: node.reloadCommand ?? reloadCommand ?? ["nginx", "-c", config, "-s", "reload"],
                                 isLocal: HostPort.isLoopback(node.address))
        }
    }
}
