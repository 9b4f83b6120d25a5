import Foundation
import Hummingbird
import SwitchyardCore
import SwitchyardRuntime

/// `/v1/drills`: drill playbooks with their next runs, run history (skipped and missed fire times included),
/// one run with its report, its event stream, starting a run by hand and aborting one (audited before they act).
enum DrillRoutes {
    static func add(to routes: GuardedRoutes, drills: DrillScheduleService, manifests: @escaping @Sendable () async -> ManifestSet,
                    store: any StateStore, streams: StreamAllowance = StreamAllowance(limit: 256)) {

        routes.viewer.get("/v1/drills") { request, _ in
            let count = request.uri.queryParameters.get("count", as: Int.self) ?? 5
            guard (0...100).contains(count) else { throw APIError.badRequest("count must be between 0 and 100 (got \(count))") }
            let set = await manifests()
            let now = drills.clock()
            do {
                let running = try await store.unfinishedDrillRuns().filter { !$0.id.hasPrefix(ScheduledFireRecord.prefix) }
                var views: [DrillView] = []
                for playbook in set.drillPlaybooks {
                    let state = playbook.schedule == nil ? nil : try await store.scheduleState(playbook: playbook.name)
                    views.append(DrillView(playbook, state: state, runningRun: running.last { $0.playbook == playbook.name }?.id, now: now, count: count))
                }
                return JSONResponse.make(["drills": views])
            } catch { throw APIError.store(error) }
        }

        routes.viewer.get("/v1/drills/runs") { request, _ in
            let playbook = request.uri.queryParameters.get("playbook")
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? 50
            guard (1...1000).contains(limit) else { throw APIError.badRequest("limit must be between 1 and 1000 (got \(limit))") }
            do {
                let runs = try await store.listDrillRuns(playbook: playbook, limit: limit)
                return JSONResponse.make(["runs": runs.map(DrillRunView.init)])
            } catch { throw APIError.store(error) }
        }

        routes.viewer.get("/v1/drills/runs/:id") { _, context in
            let id = try context.parameters.require("id")
            let record: DrillRunRecord?
            do { record = try await store.drillRun(id: id) } catch { throw APIError.store(error) }
            guard let record else { throw APIError.notFound("run", id) }
            return JSONResponse.make(DrillRunDetailView(record))
        }

        routes.viewer.get("/v1/drills/runs/:id/events") { request, context in
            let id = try context.parameters.require("id")
            let after = try DrillEventStream.lastEventID(request)
            let record: DrillRunRecord?
            do { record = try await store.drillRun(id: id) } catch { throw APIError.store(error) }
            guard record != nil else { throw APIError.notFound("run", id) }
            let token = context.actor
            do throws(ReleaseJournalFeed.TooMany) { try await streams.take(token) } catch {
                throw APIError(.tooManyRequests, code: "too-many-streams",
                               message: "token \(error.token) already follows \(error.limit) drill event streams; close one first",
                               details: ["token": error.token, "limit": String(error.limit)])
            }
            return DrillEventStream(run: id, store: store, after: after).response { await streams.give(token) }
        }

        // The request is stored with the run; the runner driving it (this daemon's, or a `yard drill run` elsewhere) reads
        // it within half a second, restores its fault at once and ends the run aborted.
        routes.operator.post("/v1/drills/runs/:id/abort") { request, context in
            let actor = context.actor
            let id = try context.parameters.require("id")
            let buffer = try await request.body.collect(upTo: 1 << 16)
            let reason = buffer.readableBytes == 0 ? nil : (try? JSONDecoder().decode(AbortRequest.self, from: Data(buffer: buffer)))?.reason
            let sent: DrillAbort.Sent
            do {
                sent = try await DrillAbort.send(run: id, reason: reason ?? "aborted through the API by \(actor)", store: store, actor: actor)
            } catch DrillAbort.Failure.unknownRun {
                throw APIError.notFound("run", id)
            } catch DrillAbort.Failure.over(_, let status) {
                throw APIError(.conflict, code: "drill-over", message: "drill run \(id) is already over (\(status))", details: ["id": id, "status": status])
            } catch {
                throw APIError.store(error)
            }
            guard sent.driven else {
                // Its process died: nobody reads the request. What it broke is restored now, as at a start, by the
                // leader only (a standby restoring beside the leader's own recovery would run the restores twice).
                guard await drills.recoverInterruptedAsLeader() else {
                    return JSONResponse.make(AcceptedView(id: id, status: "restore-left-to-leader"), status: .accepted)
                }
                let after = try? await store.drillRun(id: id)
                return JSONResponse.make(AcceptedView(id: id, status: after?.isFinished == true ? "restored-after-crash" : "restore-failed"), status: .accepted)
            }
            return JSONResponse.make(AcceptedView(id: id, status: "abort-requested"), status: .accepted)
        }

        routes.operator.post("/v1/drills/:playbook/run") { _, context in
            let actor = context.actor
            let playbook = try context.parameters.require("playbook")
            // Audited by the drill runner itself, as from every entry point.
            let id: String
            do { id = try await drills.runNow(playbook: playbook, actor: actor) } catch { throw APIError.drillRefused(error) }
            return JSONResponse.make(AcceptedView(id: id, status: "started"), status: .accepted)
        }
    }
}
