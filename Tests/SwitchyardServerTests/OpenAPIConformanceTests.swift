import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import SwitchyardCore
import SwitchyardRuntime
@testable import SwitchyardServer

/// docs/openapi.yaml against a running daemon: each request below gets a real answer, whose status must be
/// documented for its route and whose body must match the documented schema (error bodies included).
@Suite(.serialized) struct OpenAPIConformanceTests {
    struct Call: Sendable, CustomStringConvertible {
        var method: HTTPMethod
        var path: String
        var body: String?
        var auth: TokenRole?
        var status: Int
        var description: String { "\(method) \(path) as \(auth?.rawValue ?? "nobody") → \(status)" }
    }

    /// In order: the mutations come after the reads they would change. See `seed`.
    static let calls: [Call] = [
        Call(method: .GET, path: "/healthz", auth: nil, status: 200),
        Call(method: .GET, path: "/readyz", auth: nil, status: 200),
        Call(method: .GET, path: "/metrics", auth: nil, status: 200),
        Call(method: .GET, path: "/v1/topologies", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/topologies", auth: nil, status: 401),
        Call(method: .GET, path: "/v1/topologies/local", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/topologies/nope", auth: .viewer, status: 404),
        Call(method: .GET, path: "/v1/services/gateway?topology=local", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/services/gateway", auth: .viewer, status: 400),
        Call(method: .GET, path: "/v1/services/nope", auth: .viewer, status: 404),
        Call(method: .GET, path: "/v1/releases", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/releases?limit=0", auth: .viewer, status: 400),
        Call(method: .GET, path: "/v1/releases/rel-1", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/releases/rel-missing", auth: .viewer, status: 404),
        Call(method: .GET, path: "/v1/releases/rel-1/journal", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/releases/rel-missing/journal", auth: .viewer, status: 404),
        Call(method: .GET, path: "/v1/releases/rel-1/events", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/releases/rel-missing/events", auth: .viewer, status: 404),
        Call(method: .POST, path: "/v1/releases", body: #"{"service":"gateway","version":"1.1.0"}"#, auth: .viewer, status: 403),
        Call(method: .POST, path: "/v1/releases", body: #"{"service":"gateway"}"#, auth: .operator, status: 400),
        Call(method: .POST, path: "/v1/releases", body: #"{"service":"nope","version":"1.0"}"#, auth: .operator, status: 422),
        Call(method: .POST, path: "/v1/releases", body: #"{"service":"gateway","version":"1.1.0"}"#, auth: .operator, status: 409),
        Call(method: .POST, path: "/v1/releases/rel-missing/promote", auth: .operator, status: 404),
        Call(method: .POST, path: "/v1/releases/rel-1/promote", auth: .operator, status: 202),
        Call(method: .POST, path: "/v1/releases/rel-1/abort", body: #"{"reason":"conformance"}"#, auth: .operator, status: 202),
        Call(method: .GET, path: "/v1/drills", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/drills?count=1000", auth: .viewer, status: 400),
        Call(method: .GET, path: "/v1/drills/runs", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/drills/runs/drill-run-1", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/drills/runs/drill-missing", auth: .viewer, status: 404),
        Call(method: .GET, path: "/v1/drills/runs/drill-run-1/events", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/drills/runs/drill-missing/events", auth: .viewer, status: 404),
        Call(method: .POST, path: "/v1/drills/runs/drill-run-1/abort", auth: .viewer, status: 403),
        Call(method: .POST, path: "/v1/drills/runs/drill-missing/abort", auth: .operator, status: 404),
        Call(method: .POST, path: "/v1/drills/runs/drill-run-done/abort", auth: .operator, status: 409),
        Call(method: .POST, path: "/v1/drills/runs/drill-run-1/abort", body: #"{"reason":"conformance"}"#, auth: .operator, status: 202),
        Call(method: .GET, path: "/v1/drills/runs/drill-run-1", auth: .viewer, status: 200),
        Call(method: .POST, path: "/v1/drills/drill-zone-outage/run", auth: .viewer, status: 403),
        Call(method: .POST, path: "/v1/drills/nope/run", auth: .operator, status: 404),
        // rel-1 is a release of the drill's topology: the run is refused.
        Call(method: .POST, path: "/v1/drills/drill-zone-outage/run", auth: .operator, status: 409),
        Call(method: .POST, path: "/v1/reload", auth: .operator, status: 403),
        Call(method: .POST, path: "/v1/reload", auth: .admin, status: 200),
        Call(method: .GET, path: "/v1/audit", auth: .viewer, status: 200),
        Call(method: .GET, path: "/v1/tokens", auth: .admin, status: 200),
        Call(method: .POST, path: "/v1/tokens", body: #"{"name":"ci","role":"viewer"}"#, auth: .admin, status: 201),
        Call(method: .DELETE, path: "/v1/tokens/ci", auth: .admin, status: 204),
        Call(method: .DELETE, path: "/v1/tokens/ci", auth: .admin, status: 404),
        Call(method: .POST, path: "/v1/ui/links", body: #"{"next":"/ui/releases"}"#, auth: .viewer, status: 201),
        Call(method: .POST, path: "/v1/ui/links", auth: nil, status: 401),
        Call(method: .POST, path: "/v1/ui/links", body: #"{"next":1}"#, auth: .viewer, status: 400),
    ]

    /// Routes this document describes that another part of the daemon serves; until it does, they answer
    /// 404 "no route" and are skipped here.
    static let servedElsewhere: Set<String> = [
        "GET /v1/releases/{id}/events", "GET /v1/audit", "GET /v1/tokens", "POST /v1/tokens", "DELETE /v1/tokens/{name}",
    ]

    /// Release rel-1 unfinished, the gateway's lock held by another release (so rel-1 is not resumed and no
    /// runner starts the topology's real nginx), something live and a recorded instance, so that every
    /// optional field of the reads shows up.
    @Sendable static func seed(_ store: any StateStore) async throws {
        try await Seed.release(store, id: "rel-1")
        _ = try await store.createDrillRun(id: "drill-run-1", playbook: "drill-db-primary-loss", status: "running", now: Date())
        _ = try await store.createDrillRun(id: "drill-run-done", playbook: "drill-db-primary-loss", status: "running", now: Date())
        try await store.updateDrillRun(id: "drill-run-done", status: "passed", report: nil, finished: true, fences: [], now: Date())
        _ = try await store.acquireLock(name: "release/local/gateway", holder: "rel-other", lease: .seconds(600), now: Date())
        try await store.commitRouting(service: "gateway", live: ["zone-a": .blue, "zone-b": .blue], versions: [.blue: "1.0.0"], now: Date())
        try await store.recordInstanceStarted(InstanceRecord(id: InstanceID(service: "gateway", zone: "zone-a", slot: .blue, index: 0, port: 7810),
                                                             pid: 1, version: "1.0.0", command: ["yard-gateway"], startedAt: Date()))
    }

    struct Answer {
        var status: Int
        var contentType: String
        var body: Data
    }

    static func send(_ call: Call, to yardd: DaemonHarness) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(yardd.port)\(call.path)")
        request.method = call.method
        if let role = call.auth { request.headers.add(name: "Authorization", value: "Bearer \(yardd.tokens[role]!)") }
        if let body = call.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        // An event stream lasts as long as the release: its head is what is checked.
        if contentType.hasPrefix("text/event-stream") { return Answer(status: Int(response.status.code), contentType: contentType, body: Data()) }
        let buffer = try await response.body.collect(upTo: 1 << 22)
        return Answer(status: Int(response.status.code), contentType: contentType, body: Data(buffer: buffer))
    }

    @Test func everyAnswerMatchesTheDocumentedSchemaOfItsRouteAndStatus() async throws {
        let document = try OpenAPIDocument.load()
        var exercised: Set<String> = []
        var skipped: Set<String> = []
        try await DaemonHarness.with(seed: Self.seed) { yardd in
            for call in Self.calls {
                let template = try #require(document.template(for: String(call.path.prefix { $0 != "?" })), "\(call.path) is not documented")
                let operation = "\(call.method.rawValue) \(template)"
                let answer = try await Self.send(call, to: yardd)
                let json = try? JSONSerialization.jsonObject(with: answer.body)
                let error = (json as? [String: Any])?["error"] as? [String: Any]
                if answer.status == 404, (error?["message"] as? String)?.hasPrefix("no route") == true {
                    #expect(Self.servedElsewhere.contains(operation), "\(operation) is documented but not served")
                    skipped.insert(operation)
                    continue
                }
                #expect(answer.status == call.status, "\(call): \(String(decoding: answer.body, as: UTF8.self))")
                let response: [String: Any]
                do { response = try document.response(method: call.method.rawValue, template: template, status: answer.status) } catch {
                    Issue.record("\(call): \(error)")
                    continue
                }
                exercised.insert(operation)
                let mediaType = String(answer.contentType.prefix { $0 != ";" })
                guard let schema = try document.schema(of: response, contentType: answer.body.isEmpty && answer.status == 204 ? "" : mediaType) else {
                    #expect(answer.body.isEmpty, "\(call): a body where none is documented")
                    continue
                }
                if mediaType == "application/json" {
                    let value = try #require(json, "\(call): not JSON: \(String(decoding: answer.body, as: UTF8.self))")
                    let problems = try document.violations(of: value, against: schema)
                    #expect(problems.isEmpty, "\(call): \(problems.joined(separator: "; "))")
                } else {
                    #expect(try document.violations(of: String(decoding: answer.body, as: UTF8.self), against: schema).isEmpty)
                }
            }
            // A broken manifest set: 422 with the located errors, in the error shape.
            try ManifestFiles.write(try ManifestFiles.topology(named: "broken", listen: 7900, ports: 7910...7929, replicasPerZone: 0),
                                    to: yardd.folder, "topologies/broken.yaml")
            let invalid = try await Self.send(Call(method: .POST, path: "/v1/reload", auth: .admin, status: 422), to: yardd)
            #expect(invalid.status == 422)
            let schema = try #require(try document.schema(of: try document.response(method: "POST", template: "/v1/reload", status: 422),
                                                          contentType: "application/json"))
            #expect(try document.violations(of: try JSONSerialization.jsonObject(with: invalid.body), against: schema).isEmpty)
            exercised.insert("POST /v1/reload")
        }
        // Every documented operation was answered, or is served by a part not in this build.
        let missing = Set(document.operations).subtracting(exercised).subtracting(skipped)
        #expect(missing.isEmpty, "documented but never exercised: \(missing.sorted())")
        #expect(skipped.isSubset(of: Self.servedElsewhere))
    }

    /// Every operation has an `operationId`, unique in the document: what a generated client names its calls by.
    @Test func everyOperationHasAUniqueOperationID() throws {
        let document = try OpenAPIDocument.load()
        var owners: [String: [String]] = [:]
        for operation in document.operations {
            let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
            let item = try #require(document.paths[parts[1]] as? [String: Any])
            let body = try #require(item[parts[0].lowercased()] as? [String: Any])
            guard let id = body["operationId"] as? String, !id.isEmpty else {
                Issue.record("\(operation) has no operationId")
                continue
            }
            #expect(id.first?.isLowercase == true && id.allSatisfy { $0.isLetter || $0.isNumber }, "\(operation): operationId \(id) is not lowerCamelCase")
            owners[id, default: []].append(operation)
        }
        let duplicates = owners.filter { $0.value.count > 1 }
        #expect(duplicates.isEmpty, "operationIds used more than once: \(duplicates)")
        #expect(owners.count == document.operations.count)
        #expect(owners["abortDrillRun"] == ["POST /v1/drills/runs/{id}/abort"])
    }

    @Test func aRenamedOrUndocumentedFieldIsCaught() async throws {
        let document = try OpenAPIDocument.load()
        let release = try document.resolve(["$ref": "#/components/schemas/Release"])
        try await DaemonHarness.with(seed: { try await Seed.release($0, id: "rel-1") }) { yardd in
            var object = try #require(try await yardd.get("/v1/releases/rel-1").object as [String: Any]?)
            #expect(try document.violations(of: object, against: release).isEmpty)
            object["stage"] = object.removeValue(forKey: "phase")
            let problems = try document.violations(of: object, against: release)
            #expect(problems.contains("$: lacks the required field phase"), "\(problems)")
            #expect(problems.contains("$: field stage is not documented"), "\(problems)")
            object["phase"] = "sideways"
            #expect(try document.violations(of: object, against: release).contains { $0.hasPrefix("$.phase: sideways is not one of") })
            object["gates"] = [["name": "p99", "verdict": "pending", "passes": "1", "failures": 0, "errors": 0]]
            #expect(try document.violations(of: object, against: release).contains("$.gates[0].passes: expected an integer, got 1"))
        }
    }
}
