import Foundation
import Testing
@testable import SwitchyardCore

struct ForecastSolverTests {
    /// Column-major from rows.
    func columnMajor(_ rows: [[Double]]) -> [Double] {
        let m = rows.count, n = rows[0].count
        return (0..<(m * n)).map { rows[$0 % m][$0 / m] }
    }

    func normalEquations(_ rows: [[Double]], _ y: [Double]) -> (xtx: [Double], xty: [Double]) {
        let p = rows[0].count
        var xtx = [Double](repeating: 0, count: p * p), xty = [Double](repeating: 0, count: p)
        for (row, v) in zip(rows, y) {
            for i in 0..<p { xty[i] += row[i] * v; for j in 0..<p { xtx[i * p + j] += row[i] * row[j] } }
        }
        return (xtx, xty)
    }

    @Test func svdSolvesAKnownLine() throws {
        // y = 2/3 + x/2 is the least-squares line through (1,1), (2,2), (3,2).
        let rows: [[Double]] = [[1, 1], [1, 2], [1, 3]]
        let (x, rank) = try LeastSquares.solveSVD(columnMajor(rows), rows: 3, columns: 2, rhs: [1, 2, 2])
        #expect(rank == 2)
        #expect(abs(x[0] - 2.0 / 3) < 1e-12)
        #expect(abs(x[1] - 0.5) < 1e-12)
    }

    @Test func svdGivesTheMinimumNormSolutionOfARankDeficientDesign() throws {
        // Two identical columns: the slope 0.5 is split evenly, the rank is 2.
        let rows: [[Double]] = [[1, 1, 1], [1, 2, 2], [1, 3, 3]]
        let (x, rank) = try LeastSquares.solveSVD(columnMajor(rows), rows: 3, columns: 3, rhs: [1, 2, 2])
        #expect(rank == 2)
        #expect(abs(x[1] - 0.25) < 1e-10 && abs(x[2] - 0.25) < 1e-10)
        #expect(abs(x[0] - 2.0 / 3) < 1e-10)
    }

    @Test func normalEquationsMatchTheSVDOnAWellPosedDesign() throws {
        var rng = SplitMix64(seed: 3)
        let rows = (0..<200).map { _ in [1.0, rng.nextGaussian(), rng.nextGaussian() * 100, rng.nextGaussian() * 1e-3] }
        let truth = [3.0, -2.0, 0.01, 500.0]
        let y = rows.map { row in zip(row, truth).reduce(0) { $0 + $1.0 * $1.1 } + 0.01 * rng.nextGaussian() }
        let (xtx, xty) = normalEquations(rows, y)
        let cholesky = try LeastSquares.solveNormalEquations(xtx: xtx, xty: xty, penalty: [0, 0, 0, 0])
        let svd = try LeastSquares.solveSVD(columnMajor(rows), rows: 200, columns: 4, rhs: y).solution
        for j in 0..<4 { #expect(abs(cholesky[j] - svd[j]) <= 1e-7 * max(1, abs(svd[j])), "column \(j)") }
    }

    @Test func illConditionedPolynomialDesignIsRecovered() throws {
        // Vandermonde columns 1, x, ..., x^6 on [0, 1]: condition number about 1e5 (1e10 for XᵀX).
        let xs = (0..<41).map { Double($0) / 40 }
        let truth = [1.0, -2.0, 3.0, -4.0, 5.0, -6.0, 7.0]
        let rows = xs.map { x in (0..<7).map { pow(x, Double($0)) } }
        let y = rows.map { row in zip(row, truth).reduce(0) { $0 + $1.0 * $1.1 } }
        let svd = try LeastSquares.solveSVD(columnMajor(rows), rows: 41, columns: 7, rhs: y).solution
        for j in 0..<7 { #expect(abs(svd[j] - truth[j]) < 1e-6, "svd column \(j)") }
        let (xtx, xty) = normalEquations(rows, y)
        let normal = try LeastSquares.solveNormalEquations(xtx: xtx, xty: xty, penalty: Array(repeating: 0, count: 7))
        for j in 0..<7 { #expect(abs(normal[j] - truth[j]) < 1e-3, "normal equations column \(j)") }
    }

    @Test func collinearColumnsWithoutPenaltyFallBackToTheSVD() throws {
        // x and 2x: Cholesky cannot factor XᵀX; the fitted values must still be right.
        let rows: [[Double]] = (0..<10).map { [1, Double($0), 2 * Double($0)] }
        let y = (0..<10).map { 1 + 3 * Double($0) }
        let (xtx, xty) = normalEquations(rows, y)
        let beta = try LeastSquares.solveNormalEquations(xtx: xtx, xty: xty, penalty: [0, 0, 0])
        for (row, v) in zip(rows, y) {
            let fitted = zip(row, beta).reduce(0) { $0 + $1.0 * $1.1 }
            #expect(abs(fitted - v) < 1e-6)
        }
    }

    @Test func gramAccumulatorMatchesTheDirectSumAcrossBlocks() {
        var rng = SplitMix64(seed: 11)
        let rows = (0..<23).map { _ in (0..<5).map { _ in rng.nextGaussian() } }
        var acc = GramAccumulator(width: 5, blockRows: 4)
        for row in rows { acc.append { out, stride in for j in 0..<5 { out[j * stride] = row[j] } } }
        let gram = acc.gram()
        for i in 0..<5 {
            for j in 0..<5 {
                let direct = rows.reduce(0) { $0 + $1[i] * $1[j] }
                #expect(abs(gram[i * 5 + j] - direct) < 1e-12)
            }
        }
    }
}
