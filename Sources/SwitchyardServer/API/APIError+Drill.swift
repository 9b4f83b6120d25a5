import Foundation
import SwitchyardRuntime

extension APIError {
    /// Why a drill run asked for by hand did not start: 404 for an unknown playbook, 409 when a release of its
    /// topology or a run of it is running, 503 when no drill runner is configured or the store fails.
    static func drillRefused(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as NotLeader:
            return .notLeader(error)
        case ManualRunRefusal.unknownPlaybook(let name, _):
            return APIError(.notFound, code: "not-found", message: "\(error)", details: ["playbook": name])
        case ManualRunRefusal.releaseRunning(let topology, let activity):
            return APIError(.conflict, code: "release-running", message: "\(error)", details: ["topology": topology, "release": activity])
        case ManualRunRefusal.alreadyRunning(let playbook, let run):
            return APIError(.conflict, code: "drill-running", message: "\(error)", details: ["playbook": playbook, "run": run])
        case DrillLaunchError.noRunner(let playbook):
            return APIError(.serviceUnavailable, code: "no-drill-runner", message: "\(error)", details: ["playbook": playbook])
        case let error as StateStoreError:
            return APIError(.serviceUnavailable, code: "state-store", message: error.description)
        default:
            return APIError(.internalServerError, code: "drill-failed-to-start", message: "\(error)")
        }
    }
}
