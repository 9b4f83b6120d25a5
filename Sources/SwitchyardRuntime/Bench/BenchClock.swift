import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Maps wall-clock dates (a load report's `startedAt`) onto the monotonic clock the benchmark times with.
struct ClockAnchor: Sendable {
    let date = Date()
    let instant = ContinuousClock.now

    func instant(of other: Date) -> ContinuousClock.Instant { instant + .seconds(other.timeIntervalSince(date)) }
}

/// Milliseconds between two instants (`to - from`).
func milliseconds(from: ContinuousClock.Instant, to: ContinuousClock.Instant) -> Double {
    (to - from).milliseconds
}

/// When each update of a release arrived.
final class UpdateLog: Sendable {
    private let entries = Mutex<[(ContinuousClock.Instant, ReleaseUpdate)]>([])

    func append(_ update: ReleaseUpdate) {
        let now = ContinuousClock.now
        entries.withLock { $0.append((now, update)) }
    }

    var all: [(ContinuousClock.Instant, ReleaseUpdate)] { entries.withLock { $0 } }
}

/// Notices each time nginx's configuration file is replaced (the driver renames the checked file
/// into place right before it sends HUP), by polling its inode every millisecond: the reload instant
/// of a release seen from outside the engine, to a millisecond or two.
final class ConfigWatcher: Sendable {
    let path: String
    private let renames = Mutex<[ContinuousClock.Instant]>([])
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(path: String) { self.path = path }

    func start() {
        let path = path
        let task = Task.detached { [self] in
            var last = Self.inode(path)
            while !Task.isCancelled {
                let now = Self.inode(path)
                if now != last, now != nil {
                    let instant = ContinuousClock.now
                    self.renames.withLock { $0.append(instant) }
                }
                last = now ?? last
                try? await Task.sleep(for: .milliseconds(1))
            }
        }
        self.task.withLock { $0 = task }
    }

    func stop() { task.withLock { $0?.cancel(); $0 = nil } }

    /// The last replacement at or before `instant`.
    func lastRename(before instant: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        renames.withLock { $0.last { $0 <= instant } }
    }

    static func inode(_ path: String) -> UInt64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }
}
