import Foundation

/// The scheduler's decision logic for one drill schedule: a pure function from (schedule, state,
/// now, facts) to actions. The daemon owns the loop, the clock and the persistence.
///
/// Rules, for the fire times due since `state.handledThrough` (at most `missedRecordLimit` + 1 of them):
/// 1. Only the latest due fire time may start. Earlier ones are recorded as skipped: `.blackout`
///    if inside one, `.releaseRunning` if it was the deferred one, else `.missed`.
/// 2. For the latest: inside a blackout (at the fire time, or at `now` for a late start) -> skip.
/// 3. Later than its deadline -> skip `.missed`. The deadline is `startingDeadline`, or for a fire
///    already deferred, the longer of `startingDeadline` and `deferDeadline`.
/// 4. A release of the topology is running -> `.defer` until fire + `deferDeadline`; once that has
///    passed -> skip `.releaseRunning`.
/// 5. A previous run still running -> `forbid`: skip `.alreadyRunning`; `replace`: `.replace`.
/// 6. Otherwise `.start`.
public struct DrillScheduler: Sendable {
    public let schedule: CompiledSchedule
    /// How many earlier missed fire times are recorded one by one.
    public let missedRecordLimit: Int

    public init(schedule: CompiledSchedule, missedRecordLimit: Int = 100) {
        self.schedule = schedule
        self.missedRecordLimit = missedRecordLimit
    }

    public func evaluate(state: ScheduleState, now: Date, facts: ScheduleFacts) -> ScheduleEvaluation {
        guard let handledThrough = state.handledThrough else {
            return ScheduleEvaluation(actions: [], state: ScheduleState(handledThrough: now), wakeAt: schedule.next(after: now))
        }
        // Due fire times, newest first: the deferred one and those in (handledThrough, now].
        var due: [Date] = []
        var cursor = now.addingTimeInterval(0.001)
        var omitted = false
        while let fire = schedule.previous(before: cursor), fire > handledThrough {
            if due.count > missedRecordLimit { omitted = true; break }
            due.append(fire)
            cursor = fire
        }
        if let deferred = state.deferredFire, deferred <= handledThrough {
            if due.count <= missedRecordLimit { due.append(deferred) } else { omitted = true }
        }
        guard let latest = due.first else {
            return ScheduleEvaluation(actions: [], state: ScheduleState(handledThrough: max(handledThrough, now), deferredFire: state.deferredFire),
                                      wakeAt: schedule.next(after: now))
        }

        var actions = due.dropFirst().reversed().map { fire in
            ScheduleAction.skip(fire: fire, reason: earlierReason(fire, deferred: state.deferredFire, now: now))
        }
        let action = decide(latest, deferred: state.deferredFire == latest, now: now, facts: facts)
        actions.append(action)
        let newState: ScheduleState
        let nextFire = schedule.next(after: now)
        var wakeAt = nextFire
        if case .defer(_, let until) = action {
            newState = ScheduleState(handledThrough: max(handledThrough, now), deferredFire: latest)
            wakeAt = min(until, nextFire ?? until)
        } else {
            newState = ScheduleState(handledThrough: max(handledThrough, now), deferredFire: nil)
        }
        return ScheduleEvaluation(actions: actions, state: newState, omittedMissed: omitted, wakeAt: wakeAt)
    }

    private func earlierReason(_ fire: Date, deferred: Date?, now: Date) -> SkipReason {
        if let blackout = schedule.blackout(containing: fire) { return .blackout(blackout.name) }
        if fire == deferred { return .releaseRunning(waited: span(from: fire, to: now)) }
        return .missed(lateBy: span(from: fire, to: now))
    }

    /// The decision for the latest due fire time.
    func decide(_ fire: Date, deferred: Bool, now: Date, facts: ScheduleFacts) -> ScheduleAction {
        let settings = schedule.schedule
        let late = span(from: fire, to: now)
        if let blackout = schedule.blackout(containing: fire) ?? schedule.blackout(containing: now) {
            return .skip(fire: fire, reason: .blackout(blackout.name))
        }
        let deadline = deferred ? max(settings.startingDeadline, settings.deferDeadline) : settings.startingDeadline
        if facts.releaseRunning {
            if !deferred && late > settings.startingDeadline { return .skip(fire: fire, reason: .missed(lateBy: late)) }
            if late < settings.deferDeadline {
                return .defer(fire: fire, until: fire.addingTimeInterval(settings.deferDeadline.seconds))
            }
            return .skip(fire: fire, reason: .releaseRunning(waited: late))
        }
        if late > deadline { return .skip(fire: fire, reason: .missed(lateBy: late)) }
        if let running = facts.runningDrill {
            switch settings.concurrency {
            case .forbid: return .skip(fire: fire, reason: .alreadyRunning(running))
            case .replace: return .replace(running: running, fire: fire)
            }
        }
        return .start(fire: fire)
    }

    private func span(from start: Date, to end: Date) -> TimeSpan {
        TimeSpan(milliseconds: Int64((end.timeIntervalSince(start) * 1000).rounded()))
    }
}
