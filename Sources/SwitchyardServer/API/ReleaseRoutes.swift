import Foundation
import Hummingbird
import SwitchyardRuntime
import SwitchyardCore

/// `/v1/releases`: list, get, journal, event stream, start, promote, abort. Mutations are audited before they act, with the
/// request's token name as the actor.
enum ReleaseRoutes {
    static func add(to routes: GuardedRoutes, releases: ReleaseService, store: any StateStore, feed: ReleaseJournalFeed) {

        routes.viewer.get("/v1/releases") { request, _ in
            let service = request.uri.queryParameters.get("service")
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 50
            guard (1...1000).contains(limit) else { throw APIError.badRequest("limit must be between 1 and 1000 (got \(limit))") }
            let running = request.uri.queryParameters.get("running")
            guard running == nil || running == "true" || running == "false" else {
                throw APIError.badRequest("running must be true or false (got \(running ?? ""))")
            }
            do {
                // running=true: the releases not finished yet, newest first (the store lists them oldest first).
                let records = running == "true"
                    ? Array(try await store.unfinishedReleases().filter { service == nil || $0.service == service }.reversed().prefix(limit))
                    : try await store.listReleases(ReleaseQuery(service: service, limit: limit))
                return JSONResponse.make(["releases": records.map { ReleaseView($0) }])
            } catch { throw APIError.store(error) }
        }

        routes.viewer.get("/v1/releases/:id") { _, context in
            let record = try await existing(try context.parameters.require("id"), store)
            let routing: ServiceRouting?
            do { routing = try await store.routing(service: record.service) } catch { throw APIError.store(error) }
            return JSONResponse.make(ReleaseView(record, routing: routing))
        }

        routes.viewer.get("/v1/releases/:id/journal") { _, context in
            let record = try await existing(try context.parameters.require("id"), store)
            do {
                let entries = try await store.journal(release: record.id)
                return JSONResponse.make(JournalView(id: record.id, entries: entries.map(JournalEntryView.init)))
            } catch { throw APIError.store(error) }
        }

        routes.viewer.get("/v1/releases/:id/events") { request, context in
            let record = try await existing(try context.parameters.require("id"), store)
            let after = try ReleaseEventStream.lastEventID(request)
            do throws(ReleaseJournalFeed.TooMany) {
                return ReleaseEventStream(items: try await feed.subscribe(release: record.id, after: after, token: context.actor)).response()
            } catch {
                throw APIError(.tooManyRequests, code: "too-many-streams",
                               message: "token \(error.token) already follows \(error.limit) event streams; close one first",
                               details: ["token": error.token, "limit": String(error.limit)])
            }
        }

        routes.operator.post("/v1/releases") { request, context in
            let actor = context.actor
            let body = try await JSONResponse.decode(StartReleaseRequest.self, from: request)
            try await requireReady(releases)
            // Audited by the release runner itself, as from every entry point.
            let id: String
            do {
                id = try await releases.start(service: body.service, topology: body.topology, version: body.version, manual: body.manual, actor: actor)
            } catch { throw APIError.releaseRefused(error) }
            return JSONResponse.make(AcceptedView(id: id, status: "started"), status: .accepted)
        }

        routes.operator.post("/v1/releases/:id/promote") { _, context in
            let actor = context.actor
            let id = try context.parameters.require("id")
            return try await control(id, request: .promote, releases: releases, store: store, actor: actor)
        }

        routes.operator.post("/v1/releases/:id/abort") { request, context in
            let actor = context.actor
            let id = try context.parameters.require("id")
            let buffer = try await request.body.collect(upTo: 1 << 16)
            let reason = buffer.readableBytes == 0 ? nil : (try? JSONDecoder().decode(AbortRequest.self, from: Data(buffer: buffer)))?.reason
            return try await control(id, request: .abort(reason: reason ?? "aborted through the API by \(actor)"), releases: releases, store: store,
                                     actor: actor)
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
    static func control(_ id: String, request: ReleaseControl, releases: ReleaseService, store: any StateStore, actor: String) async throws -> Response {
        try await requireReady(releases)
        do {
            try await ReleaseControlJournal.send(request, release: id, store: store, actor: actor)
        } catch ReleaseControlJournal.Failure.over(_, let state) {
            throw APIError(.conflict, code: "release-over", message: "release \(id) is already over (\(state))", details: ["id": id, "phase": state])
        } catch ReleaseControlJournal.Failure.unknownRelease {
            throw APIError.notFound("release", id)
        } catch {
            throw APIError.store(error)
        }
        return JSONResponse.make(AcceptedView(id: id, status: request.requestedStatus), status: .accepted)
    }
}
