/// What an `lb-node-kill` of a keepalived pair measured beside the drill's RTO: which fault took the node away, when
/// the virtual address showed up on another node (polled there over its shell), and when users were served through
/// the address again. Times are seconds from the moment the cut began.
public struct VIPFailover: Sendable, Hashable, Codable {
    public var address: String
    /// The node cut off (the address's holder when the fault was planned).
    public var from: String
    /// The node the address was first seen on after the cut; nil when it never moved.
    public var to: String?
    /// The fault in words: "network cut (ip link set … down)", never only keepalived stopped.
    public var fault: String
    /// Cut → the address seen on `to` (the VRRP takeover); nil when it never moved while the fault held.
    public var takeover: Double?
    /// Cut → the first 2xx answer through the address to a request sent after the cut (the RTO users saw through the
    /// virtual address); nil when none came while the fault held.
    public var servedAgain: Double?
    /// How often the other nodes were asked.
    public var pollInterval: Double

    public init(address: String, from: String, to: String? = nil, fault: String, takeover: Double? = nil, servedAgain: Double? = nil,
                pollInterval: Double) {
        self.address = address
        self.from = from
        self.to = to
        self.fault = fault
        self.takeover = takeover
        self.servedAgain = servedAgain
        self.pollInterval = pollInterval
    }

    /// How far apart what users saw and the VRRP takeover are, in seconds.
    public var disagreement: Double? {
        guard let takeover, let servedAgain else { return nil }
        return abs(servedAgain - takeover)
    }

    /// One line for the report.
    public var summary: String {
        func s(_ value: Double?) -> String { value.map { String(format: "%.2f s", $0) } ?? "never" }
        let moved = to.map { "moved from \(from) to \($0) \(s(takeover)) after the cut" } ?? "did not move off \(from) while the fault held"
        return "\(fault): virtual address \(address) \(moved); users served through it again \(s(servedAgain)) after the cut"
    }
}
