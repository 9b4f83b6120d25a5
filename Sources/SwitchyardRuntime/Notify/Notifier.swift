import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SwitchyardCore

/// Sends notifications to their targets in the background: a job hands one over and goes on at once.
/// Each delivery is retried with backoff until the target answers 2xx or the attempts run out, and its
/// end is written to the audit log (`notify.EVENT`, target `NAME SUBJECT`, `delivered` or `failed`).
/// A target's address is read when it is sent to, and appears in no record and no log.
public actor Notifier {
    public struct Policy: Sendable {
        public var attempts: Int
        /// Wait before the second attempt; doubled after each (at most `maxDelay`).
        public var firstDelay: Duration
        public var maxDelay: Duration
        /// One attempt's whole time.
        public var timeout: Duration

        public init(attempts: Int = 5, firstDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
                    timeout: Duration = .seconds(5)) {
            self.attempts = attempts
            self.firstDelay = firstDelay
            self.maxDelay = maxDelay
            self.timeout = timeout
        }
    }

    let store: (any StateStore)?
    let client: HTTPClient
    let policy: Policy
    let environment: [String: String]
    private var pending: [UUID: Task<Void, Never>] = [:]

    public init(store: (any StateStore)?, client: HTTPClient = YardHTTPClient.shared, policy: Policy = Policy(),
                environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.store = store
        self.client = client
        self.policy = policy
        self.environment = environment
    }

    /// Hands `notification` to every target that wants its event; returns before anything is sent.
    public func send(_ notification: Notice, to targets: [NotifyTarget]) {
        for target in targets where target.wants(notification.event) {
            let id = UUID()
            // The task keeps the notifier alive until the delivery ends, after the job that sent it is gone.
            pending[id] = Task {
                await self.deliver(notification, to: target)
                self.done(id)
            }
        }
    }

    /// Deliveries not yet ended.
    public var inFlight: Int { pending.count }

    /// Waits until every delivery ended, or `timeout` passed (what is left goes on while the process lives).
    public func flush(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while !pending.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    private func done(_ id: UUID) { pending[id] = nil }

    /// Tries `target` until it answers 2xx or the attempts run out, then records how it went.
    func deliver(_ notification: Notice, to target: NotifyTarget) async {
        let body = NotificationBody.render(notification, as: target.format)
        var delay = policy.firstDelay
        var last = ""
        var attempt = 0
        while attempt < policy.attempts {
            attempt += 1
            do {
                let url = try resolve(target.address)
                var request = HTTPClientRequest(url: url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: "switchyard-notifier")
                request.body = .bytes(ByteBuffer(bytes: body))
                let prepared = request
                let client = self.client
                let timeout = policy.timeout
                let status = try await ProbeHTTP.withTimeout(timeout) {
                    let response = try await client.execute(prepared, timeout: .nanoseconds(timeout.nanosecondsClamped))
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    return Int(response.status.code)
                }
                if (200..<300).contains(status) {
                    await record(notification, target, outcome: "delivered", detail: attempt == 1 ? nil : "after \(attempt) attempts (\(last))")
                    return
                }
                last = "HTTP \(status)"
            } catch let error as ResolveError {
                last = error.description
                break
            } catch {
                last = Self.reason(error)
            }
            if attempt < policy.attempts {
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, policy.maxDelay)
            }
        }
        await record(notification, target, outcome: "failed", detail: "gave up after \(attempt) attempt(s): \(last)")
    }

    struct ResolveError: Error, CustomStringConvertible {
        var description: String
    }

    /// The target's URL, read now. Errors name where it should have come from, never a value.
    func resolve(_ address: NotifyTarget.Address) throws -> String {
        let url: String
        switch address {
        case .url(let text): url = text
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else { throw ResolveError(description: "environment variable \(name) is not set") }
            url = value.trimmingCharacters(in: .whitespacesAndNewlines)
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ResolveError(description: "cannot read \(path)") }
            url = String(text.split(whereSeparator: \.isNewline).first ?? "").trimmingCharacters(in: .whitespaces)
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw ResolveError(description: "the address is not an http:// or https:// URL")
        }
        return url
    }

    private func record(_ notification: Notice, _ target: NotifyTarget, outcome: String, detail: String?) async {
        guard let store else { return }
        let entry = AuditEntry(at: Date(), actor: "notifier", action: "notify.\(notification.event.rawValue)",
                               target: "\(target.name) \(notification.subject)", outcome: outcome, detail: detail)
        _ = try? await store.appendAudit(entry)
    }

    /// An HTTP client error without the URL (which may be the secret).
    static func reason(_ error: any Error) -> String {
        let text = ProbeHTTP.reason(error)
        return text.contains("http") || text.contains("/") ? "request failed" : text
    }
}
