import Foundation
import SwitchyardCore
import SwitchyardRuntime

extension APIError {
    /// Why a release could not start, with the status that fits: 409 when the world is in the way (the
    /// service's lock is held, nothing is live yet, the version already serves), 422 when the request
    /// cannot be planned, 503 when the state store fails.
    static func releaseRefused(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as NotLeader:
            return .notLeader(error)
        case StateStoreError.lockHeld(let name, let holder, let until):
            return APIError(.conflict, code: "lock-held", message: "\(error)",
                            details: ["lock": name, "holder": holder, "until": ISO8601DateFormatter().string(from: until)])
        case let error as StateStoreError:
            return APIError(.serviceUnavailable, code: "state-store", message: error.description)
        case ReleaseRunner.Failure.nothingLive(let service):
            return APIError(.conflict, code: "nothing-live", message: "\(error)", details: ["service": service])
        case ReleaseRunner.Failure.topologyBusy(let topology, let holder):
            return APIError(.conflict, code: "topology-busy", message: "\(error)", details: ["topology": topology, "holder": holder])
        case ReleaseRunner.Failure.alreadyLive(let version):
            return APIError(.conflict, code: "already-live", message: "\(error)", details: ["version": version])
        case ReleasePlan.PlanError.sameVersion(let version):
            return APIError(.conflict, code: "already-live", message: "\(error)", details: ["version": version])
        case let error as ReleasePlan.PlanError:
            return APIError(.unprocessableContent, code: "cannot-plan", message: error.description)
        case let error as ReleaseContext.Failure:
            return APIError(.unprocessableContent, code: "cannot-plan", message: error.description)
        default:
            return APIError(.internalServerError, code: "release-failed-to-start", message: "\(error)")
        }
    }

    /// A state store failure while serving a request.
    static func store(_ error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        return APIError(.serviceUnavailable, code: "state-store", message: "\(error)")
    }
}
