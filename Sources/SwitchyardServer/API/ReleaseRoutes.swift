import Foundation
import Hummingbird
import SwitchyardRuntime
import SwitchyardCore

/// `/v1/releases`: list, get, journal, event stream, start, promote, abort. Mutations are audited before they act, with the
/// request's token name as the actor.
enum ReleaseRoutes {
    static func add(to router: Router<YarddRequestContext>, releases: ReleaseService, store: any StateStore) {
        let auditor = Auditor(store: store)

        router.get("/v1/releases") { request, _ in
            let service = request.uri.queryParameters.get("service")
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 50
            guard (1...1000).contains(limit) else { throw APIError.badRequest("limit must be between 1 and 1000 (got \(limit))") }
            do {
                let records = try await store.listReleases(ReleaseQuery(service: service, limit: limit))
                return JSONResponse.make(["releases": records.map(ReleaseView.init)])
            } catch { throw APIError.store(error) }
        }

        router.get("/v1/releases/:id") { _, context in
            let record = try await existing(try context.parameters.require("id"), store)
            return JSONResponse.make(ReleaseView(record))
        }

        router.get("/v1/releases/:id/journal") { _, context in
            let record = try await existing(try context.parameters.require("id"), store)
            do {
                let entries = try await store.journal(release: record.id)
                return JSONResponse.make(JournalView(id: record.id, entries: entries.map(JournalEntryView.init)))
            } catch { throw APIError.store(error) }
        }

        router.get("/v1/releases/:id/events") { request, context in
            let record = try await existing(try context.parameters.require("id"), store)
            return ReleaseEventStream(store: store, releaseID: record.id, after: try ReleaseEventStream.lastEventID(request)).response()
        }

        router.post("/v1/releases") { request, context in
            let actor = context.actor
            let body = try await JSONResponse.decode(StartReleaseRequest.self, from: request)
            try await requireReady(releases)
            let id = try await auditor.perform(actor: actor, action: "release.start", target: body.service,
                                               detail: "version \(body.version)\(body.manual == true ? ", manual promotion" : "")") {
                try await releases.start(service: body.service, topology: body.topology, version: body.version, manual: body.manual, actor: actor)
            }
            return JSONResponse.make(AcceptedView(id: id, status: "started"), status: .accepted)
        }

        router.post("/v1/releases/:id/promote") { _, context in
            let actor = context.actor
            let id = try context.parameters.require("id")
            return try await control(id, request: .promote, action: "release.promote", releases: releases, store: store, auditor: auditor, actor: actor)
        }

        router.post("/v1/releases/:id/abort") { request, context in
            let actor = context.actor
            let id = try context.parameters.require("id")
            let buffer = try await request.body.collect(upTo: 1 << 16)
            let reason = buffer.readableBytes == 0 ? nil : (try? JSONDecoder().decode(AbortRequest.self, from: Data(buffer: buffer)))?.reason
            return try await control(id, request: .abort(reason: reason ?? "aborted through the API by \(actor)"), action: "release.abort",
                                     releases: releases, store: store, auditor: auditor, actor: actor)
        }
    }

    static func existing(_ id: String, _ store: any StateStore) async throws -> ReleaseRecord {
        let record: ReleaseRecord?
        do { record = try await store.release(id: id) } catch { throw APIError.store(error) }
        guard let record else { throw APIError.notFound("release", id) }
        return record
    }

    static func requireReady(_ releases: ReleaseService) async throws {
        guard await releases.isReady else {
            throw APIError(.serviceUnavailable, code: "starting", message: "yardd is still resuming unfinished releases; retry in a few seconds")
        }
    }

    /// Sends a promote or an abort to a running release through its journal, as a typed request
    /// (`ReleaseControlJournal`, the CLI's sender too), which the runner driving it reads, in this process or another.
    static func control(_ id: String, request: ReleaseControl, action: String, releases: ReleaseService, store: any StateStore,
                        auditor: Auditor, actor: String) async throws -> Response {
        try await requireReady(releases)
        let detail: String? = switch request {
        case .promote: nil
        case .abort(let reason): reason
        }
        try await auditor.perform(actor: actor, action: action, target: id, detail: detail) {
            let record = try await existing(id, store)
            do {
                try await ReleaseControlJournal.send(request, release: id, store: store)
            } catch ReleaseControlJournal.Failure.over(_, let state) {
                throw APIError(.conflict, code: "release-over", message: "release \(id) is already over (\(state))",
                               details: ["id": id, "phase": record.phase.rawValue])
            } catch ReleaseControlJournal.Failure.unknownRelease {
                throw APIError.notFound("release", id)
            } catch let error as StateStoreError {
                throw APIError.store(error)
            }
        }
        return JSONResponse.make(AcceptedView(id: id, status: request.requestedStatus), status: .accepted)
    }
}
