import CLapack

/// Least-squares solvers over the system LAPACK. Matrices are column-major, as LAPACK wants.
public enum LeastSquares {
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case badShape(String)
        case lapack(routine: String, info: Int)

        public var description: String {
            switch self {
            case .badShape(let message): "least squares: \(message)"
            case .lapack(let routine, let info): "least squares: LAPACK \(routine) failed (info \(info))"
            }
        }
    }

    /// Minimum-norm solution of min ‖A x − b‖ by the SVD (`dgelsd`): exact on rank-deficient and
    /// ill-conditioned designs; singular values below `rcond` × the largest count as zero.
    /// `a` is `rows` × `columns`, column-major.
    public static func solveSVD(_ a: [Double], rows: Int, columns: Int, rhs b: [Double], rcond: Double = 1e-12) throws(Failure) -> (solution: [Double], rank: Int) {
        guard rows > 0, columns > 0, a.count == rows * columns, b.count == rows else {
            throw .badShape("A is \(a.count) values for \(rows)x\(columns), b has \(b.count)")
        }
        var m = Int32(rows), n = Int32(columns), nrhs: Int32 = 1
        var lda = m, ldb = Int32(max(rows, columns))
        var matrix = a
        var rhs = b + Array(repeating: 0, count: max(0, columns - rows))
        var singular = [Double](repeating: 0, count: min(rows, columns))
        var rc = rcond
        var rank: Int32 = 0
        var info: Int32 = 0
        var lwork: Int32 = -1
        var query = 0.0
        var iquery: Int32 = 0
        dgelsd_(&m, &n, &nrhs, &matrix, &lda, &rhs, &ldb, &singular, &rc, &rank, &query, &lwork, &iquery, &info)
        guard info == 0 else { throw .lapack(routine: "dgelsd", info: Int(info)) }
        lwork = Int32(query.rounded(.up))
        var work = [Double](repeating: 0, count: Int(lwork))
        var iwork = [Int32](repeating: 0, count: max(1, Int(iquery)))
        dgelsd_(&m, &n, &nrhs, &matrix, &lda, &rhs, &ldb, &singular, &rc, &rank, &work, &lwork, &iwork, &info)
        guard info == 0 else { throw .lapack(routine: "dgelsd", info: Int(info)) }
        return (Array(rhs.prefix(columns)), Int(rank))
    }

    /// Solves the (ridge-regularised) normal equations (XᵀX + diag(penalty)) β = Xᵀy.
    ///
    /// The system is equilibrated first (scaled to a unit diagonal) so that columns in different
    /// units do not ruin the conditioning, then factored by Cholesky (`dpotrf`/`dpotrs`). When the
    /// matrix is not numerically positive definite (collinear columns and no penalty on them), it
    /// falls back to the SVD of the scaled system, which returns the minimum-norm solution.
    /// `xtx` is `p` × `p`, symmetric; only its upper triangle (row-major, j ≥ i) is read.
    public static func solveNormalEquations(xtx: [Double], xty: [Double], penalty: [Double]) throws(Failure) -> [Double] {
        let p = xty.count
        guard p > 0, xtx.count == p * p, penalty.count == p else { throw .badShape("normal equations of size \(p)") }
        var scale = [Double](repeating: 1, count: p)
        for i in 0..<p {
            let d = xtx[i * p + i] + penalty[i]
            scale[i] = d > 0 ? 1 / d.squareRoot() : 1
        }
        // Column-major full symmetric matrix of the scaled system.
        var a = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in i..<p {
                var v = xtx[i * p + j] * scale[i] * scale[j]
                if i == j { v += penalty[i] * scale[i] * scale[i] }
                a[j * p + i] = v
                a[i * p + j] = v
            }
        }
        var rhs = (0..<p).map { xty[$0] * scale[$0] }
        var n = Int32(p), lda = Int32(p), nrhs: Int32 = 1, info: Int32 = 0
        var uplo = CChar(UInt8(ascii: "U"))
        var factor = a
        dpotrf_(&uplo, &n, &factor, &lda, &info)
        var solved = false
        if info == 0 {
            // Reject a factor whose pivots span more than ~1e12: Cholesky "succeeded" on noise.
            var smallest = Double.infinity, largest = 0.0
            for i in 0..<p { let d = abs(factor[i * p + i]); smallest = min(smallest, d); largest = max(largest, d) }
            if smallest > largest * 1e-6 {
                var ldb = Int32(p)
                dpotrs_(&uplo, &n, &nrhs, &factor, &lda, &rhs, &ldb, &info)
                solved = info == 0
            }
        }
        if !solved {
            rhs = try solveSVD(a, rows: p, columns: p, rhs: (0..<p).map { xty[$0] * scale[$0] }, rcond: 1e-12).solution
        }
        return (0..<p).map { rhs[$0] * scale[$0] }
    }
}
