import AsyncHTTPClient
import Foundation
import NIOCore
import SwitchyardCore
import SwitchyardRuntime

/// What a drill run's event stream carries.
public enum DrillStreamEvent: Sendable {
    case step(DrillStep)
    case second(DrillSecond, faulted: Bool)
    /// The run is over: the run and its report. The stream closes after it.
    case end(DrillRunDetailView)
}

extension YarddClient {
    // MARK: drills

    /// The drill playbooks with their schedules and next `count` runs.
    public func drills(count: Int = 5) async throws(Failure) -> [DrillView] {
        try await call(.GET, "/v1/drills?count=\(count)", as: DrillList.self).drills
    }

    struct DrillList: Decodable { var drills: [DrillView] }

    // MARK: drill runs

    /// Runs newest first, of one playbook when given.
    public func drillRuns(playbook: String? = nil, limit: Int = 20) async throws(Failure) -> [DrillRunView] {
        var query = "limit=\(limit)"
        if let playbook { query += "&playbook=\(Self.escape(playbook))" }
        return try await call(.GET, "/v1/drills/runs?\(query)", as: DrillRunList.self).runs
    }

    public func drillRun(id: String) async throws(Failure) -> DrillRunDetailView {
        try await call(.GET, "/v1/drills/runs/\(Self.escape(id))", as: DrillRunDetailView.self)
    }

    public func startDrill(playbook: String) async throws(Failure) -> AcceptedView {
        try await call(.POST, "/v1/drills/\(Self.escape(playbook))/run", as: AcceptedView.self)
    }

    public func abort(drillRun id: String, reason: String?) async throws(Failure) -> AcceptedView {
        try await call(.POST, "/v1/drills/runs/\(Self.escape(id))/abort", body: AbortRequest(reason: reason), as: AcceptedView.self)
    }

    struct DrillRunList: Decodable { var runs: [DrillRunView] }

    /// Follows a drill run's events to its end, reconnecting with `Last-Event-ID` when the connection drops, so every
    /// step and second after `after` arrives once, in order. Gives up when no connection succeeds for `reconnectWindow`.
    public func follow(drillRun id: String, after: DrillRunFeed.Cursor = .init(), reconnectWindow: Duration = .seconds(60),
                       retryDelay: Duration = .milliseconds(500), onEvent: (DrillStreamEvent) async -> Void,
                       onReconnect: (_ reason: String) async -> Void = { _ in }) async throws(Failure) -> DrillRunDetailView {
        var last = after
        return try await reconnecting(id, window: reconnectWindow, retryDelay: retryDelay, attempt: { received throws(Failure) in
            try await streamEvents(drillRun: id, after: last) { event, cursor in
                received()
                if let cursor { last = cursor }
                await onEvent(event)
            }
        }, onReconnect: onReconnect)
    }

    /// Reads `GET /v1/drills/runs/{id}/events` once; the end event's run, or why the stream closed before it.
    func streamEvents(drillRun id: String, after: DrillRunFeed.Cursor,
                      onEvent: (DrillStreamEvent, DrillRunFeed.Cursor?) async -> Void) async throws(Failure) -> StreamAttempt<DrillRunDetailView> {
        let response = try await openEventStream("/v1/drills/runs/\(Self.escape(id))/events",
                                                 lastEventID: after != DrillRunFeed.Cursor() ? after.description : nil)
        var parser = SSEParser()
        do {
            for try await chunk in Self.watched(response.body, idle: eventIdleTimeout) {
                for message in parser.feed(chunk.readableBytesView) {
                    guard let event = message.event else { continue }
                    let data = Data(event.data.utf8)
                    let cursor = event.id.flatMap(DrillRunFeed.Cursor.init(parsing:))
                    switch event.event {
                    case DrillEventStream.stepEvent:
                        guard let step = try? Self.decoder.decode(DrillStep.self, from: data) else {
                            throw Failure.unexpected(server: server, status: 200, what: "a step event that is not a drill step: \(event.data.prefix(300))")
                        }
                        await onEvent(.step(step), cursor)
                    case DrillEventStream.secondEvent:
                        guard let second = try? Self.decoder.decode(DrillEventStream.SecondView.self, from: data) else {
                            throw Failure.unexpected(server: server, status: 200, what: "a second event that is not a second of traffic: \(event.data.prefix(300))")
                        }
                        await onEvent(.second(second.drillSecond, faulted: second.faulted), cursor)
                    case DrillEventStream.endEvent:
                        guard let detail = try? Self.decoder.decode(DrillRunDetailView.self, from: data) else {
                            throw Failure.unexpected(server: server, status: 200, what: "an end event that is not a drill run: \(event.data.prefix(300))")
                        }
                        await onEvent(.end(detail), nil)
                        return .ended(detail)
                    default:
                        continue
                    }
                }
            }
            return .closed("the server closed the stream")
        } catch let failure as Failure {
            throw failure
        } catch {
            return .closed((error as? Idle)?.description ?? Self.reason(error))
        }
    }
}
