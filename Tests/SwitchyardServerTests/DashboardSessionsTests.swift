import Foundation
import Synchronization
import Testing
@testable import SwitchyardServer

/// Dashboard sessions and login links: keyed by a hash of their id, ended by time, links good once, bounded in number.
struct DashboardSessionsTests {
    final class ManualClock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
        var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
    }

    @Test func aSessionEndsAfterItsLifetimeAndALinkAfterOneUseOrItsMinute() async {
        let clock = ManualClock()
        let sessions = DashboardSessions(sessionLifetime: 100, linkLifetime: 60, clock: clock.read)
        let id = await sessions.open(tokenHash: "h1")
        #expect(await sessions.tokenHash(session: id) == "h1")
        #expect(await sessions.tokenHash(session: "yard_other") == nil)
        clock.advance(101)
        #expect(await sessions.tokenHash(session: id) == nil)

        let (secret, _) = await sessions.makeLink(tokenHash: "h2", next: "/ui/drills")
        #expect(await sessions.redeem(link: secret)?.next == "/ui/drills")
        #expect(await sessions.redeem(link: secret) == nil)
        let (late, _) = await sessions.makeLink(tokenHash: "h2", next: "/ui")
        clock.advance(61)
        #expect(await sessions.redeem(link: late) == nil)
    }

    @Test func theOldestSessionsGoFirstPastTheCapacity() async {
        let clock = ManualClock()
        let sessions = DashboardSessions(capacity: 3, clock: clock.read)
        var ids: [String] = []
        for index in 0..<5 {
            ids.append(await sessions.open(tokenHash: "h\(index)"))
            clock.advance(1)
        }
        #expect(await sessionCount(sessions) == 3)
        #expect(await sessions.tokenHash(session: ids[0]) == nil)
        #expect(await sessions.tokenHash(session: ids[4]) == "h4")
    }

    func sessionCount(_ sessions: DashboardSessions) async -> Int { await sessions.sessionCount }

    @Test(arguments: [("/ui/releases", "/ui/releases"), ("/ui", "/ui"), ("//evil.example", "/ui"), ("https://evil.example/ui", "/ui"),
                      ("/ui/../v1/tokens", "/ui"), ("/ui/%2e%2e/v1", "/ui"), ("/v1/releases", "/ui"), ("/ui/login", "/ui"), ("/uix", "/ui"),
                      ("/ui/releases\\x", "/ui")])
    func aLoginGoesOnlyToADashboardPage(asked: String, expected: String) {
        #expect(LoginTarget.checked(asked) == expected)
    }
}
