import Synchronization

/// The manifests the daemon serves now. A reload swaps the whole catalog at once; whoever read the
/// previous one (a release that started with it, a request being answered) keeps its own copy.
public final class LiveCatalog: Sendable {
    private let value: Mutex<ManifestCatalog>

    public init(_ catalog: ManifestCatalog) {
        value = Mutex(catalog)
    }

    /// The catalog as it is now: a value, unaffected by later reloads.
    public var current: ManifestCatalog { value.withLock { $0 } }

    /// Replaces the catalog; returns the one it replaced.
    @discardableResult
    func replace(with catalog: ManifestCatalog) -> ManifestCatalog {
        value.withLock { old in
            let previous = old
            old = catalog
            return previous
        }
    }
}
