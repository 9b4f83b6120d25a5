import Foundation
import SwitchyardCore
@testable import SwitchyardRuntime

/// A fresh folder per test under the system temporary directory, removed when the fixture goes away.
final class StateFolder: Sendable {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("switchyard-state-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// `<folder>/.yard/state.sqlite`: the folder `.yard` does not exist yet.
    var databasePath: String { url.appendingPathComponent(".yard/state.sqlite").path }

    func store(busyTimeout: Duration = .seconds(10)) throws -> SQLiteStateStore {
        try SQLiteStateStore(path: databasePath, busyTimeout: busyTimeout)
    }
}

enum Fixtures {
    /// 2026-11-25 12:34:56 UTC, and whole seconds after it (the store keeps milliseconds).
    static let t0 = Date(timeIntervalSince1970: 1_795_610_096)
    static func t(_ seconds: Int) -> Date { t0.addingTimeInterval(TimeInterval(seconds)) }

    static func plan(service: String = "gateway", version: String = "2.0") -> ReleasePlan {
        ReleasePlan(service: service, topology: "local", version: version, previousVersion: "1.0", before: ["a": .blue, "b": .blue],
                    waves: [["a", "b"]], preGates: [], bakeGates: [], bakeDuration: .seconds(10), bakeInterval: .seconds(1),
                    scaleDownDelay: .seconds(30), keepWarm: false, manualPromotion: false)
    }

    static func instance(_ zone: String = "a", slot: Slot = .green, index: Int = 0, port: Int = 9100) -> InstanceID {
        InstanceID(service: "gateway", zone: zone, slot: slot, index: index, port: port)
    }
}
