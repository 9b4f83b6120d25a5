#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS, when it is the BLAS behind LAPACK, starts a thread per core and, between the many
/// small rank-k updates of the streamed fit (blocks of 1,024 rows × ~70 columns), spins them in
/// `sched_yield`: with the calibration folds on 2 shared cores that cost 1.6 s of system time, more
/// than the fit itself. The fit runs the BLAS on one thread; nothing here needs more. Looked up by
/// name, so a LAPACK over another BLAS is left as it is.
enum BLASThreads {
    static let single: Bool = {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "openblas_set_num_threads") else { return false }
        typealias SetThreads = @convention(c) (Int32) -> Void
        unsafeBitCast(symbol, to: SetThreads.self)(1)
        return true
    }()
}
