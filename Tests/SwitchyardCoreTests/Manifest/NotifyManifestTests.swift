import Testing
import Foundation
@testable import SwitchyardCore

/// `notify:` targets on a playbook: read as written, located errors for what cannot be sent to.
struct NotifyManifestTests {
    static func playbook(notify: String) -> String {
        GateManifestTests.playbook(gates: "  []", extra: "notify:\n" + notify)
    }

    @Test func targetsAreReadWithTheirAddressSourceAndEvents() throws {
        let text = Self.playbook(notify: """
          - name: ops
            url: https://hooks.example.test/switchyard
          - name: chat
            format: slack
            urlFromEnv: SLACK_WEBHOOK_URL
            events: [release.rolled-back, release.aborted]
          - name: pager
            urlFile: /run/credentials/yardd/pager-url
        """)
        #expect(GateManifestTests.diagnostics(text) == [])
        let decoded = ManifestDecoder.decode(bytes: Array(text.utf8), file: "inline.yaml")
        guard case .releasePlaybook(let playbook)? = decoded.manifests.first?.manifest else { Issue.record("no playbook"); return }
        #expect(playbook.notify == [
            NotifyTarget(name: "ops", address: .url("https://hooks.example.test/switchyard")),
            NotifyTarget(name: "chat", format: .slack, address: .environment("SLACK_WEBHOOK_URL"), events: [.releaseRolledBack, .releaseAborted]),
            NotifyTarget(name: "pager", address: .file("/run/credentials/yardd/pager-url")),
        ])
        #expect(playbook.notify[1].wants(.releaseAborted) && !playbook.notify[1].wants(.releasePromoted))
        #expect(playbook.notify[0].wants(.drillSkipped))
    }

    @Test func whatCannotBeSentToIsALocatedError() {
        let got = GateManifestTests.diagnostics(Self.playbook(notify: """
          - name: a
            url: hooks.example.test
          - name: b
            url: https://x.test
            urlFromEnv: HOOK
          - name: c
            urlFromEnv: "my hook"
          - name: d
            urlFile: secrets/hook
          - name: e
            events: [release.rolledback]
          - name: f
            format: teams
            url: https://x.test
          - name: g
            url: "http:///hook"
        """))
        #expect(got == [
            "inline.yaml:14:10: notify[0].url: must be an http:// or https:// URL, got \"hooks.example.test\"",
            "inline.yaml:17:17: notify[1].urlFromEnv: give one of url, urlFromEnv and urlFile, not url and urlFromEnv",
            "inline.yaml:19:17: notify[2].urlFromEnv: must be an environment variable's name (letters, digits, _), got \"my hook\"",
            "inline.yaml:21:14: notify[3].urlFile: must be an absolute path, got \"secrets/hook\"",
            "inline.yaml:22:5: notify[4].url: is required; or urlFromEnv (an environment variable) or urlFile (a file), for an address that is a secret",
            "inline.yaml:23:14: notify[4].events[0]: expected one of \(NotificationEvent.allCases.map(\.rawValue).joined(separator: ", ")), got \"release.rolledback\" (did you mean 'release.rolled-back'?)",
            "inline.yaml:25:13: notify[5].format: expected one of webhook, slack, got \"teams\"",
            "inline.yaml:28:10: notify[6].url: must be an http:// or https:// URL, got \"http:///hook\"",
        ])
    }

    @Test func theBodiesAreJSONInEachShape() throws {
        let notice = Notice(event: .drillFailed, at: Date(timeIntervalSince1970: 0), topology: "local", subject: "drill-1",
                            text: "drill zone-outage failed: rto", details: ["rtoSeconds": "12.0"])
        let generic = try JSONSerialization.jsonObject(with: NotificationBody.render(notice, as: .webhook)) as? [String: Any]
        #expect(generic?["event"] as? String == "drill.failed")
        #expect(generic?["at"] as? String == "1970-01-01T00:00:00Z")
        #expect(generic?["topology"] as? String == "local")
        let chat = try JSONSerialization.jsonObject(with: NotificationBody.render(notice, as: .slack)) as? [String: Any]
        #expect(chat?["text"] as? String == ":red_circle: *drill.failed* drill zone-outage failed: rto")
        let fields = ((chat?["attachments"] as? [[String: Any]])?.first?["fields"] as? [[String: Any]]) ?? []
        #expect(fields.first?["title"] as? String == "rtoSeconds")
        #expect(fields.first?["value"] as? String == "12.0")
    }
}
