import CLapack

/// Streams the Gram matrix [X y]ᵀ[X y] block by block: rows are written into a small
/// column-major block and folded in with one level-3 rank-k update (`dsfrk`, Rectangular Full
/// Packed storage), so the full design matrix never exists. Memory: one block plus p² doubles.
struct GramAccumulator {
    /// Columns of the design plus one for the response.
    let width: Int
    let blockRows: Int
    private(set) var packed: [Double]
    private var block: [Double]
    private(set) var rowsInBlock = 0
    private(set) var rows = 0

    init(width: Int, blockRows: Int = 1024) {
        _ = BLASThreads.single
        self.width = width
        self.blockRows = blockRows
        packed = [Double](repeating: 0, count: width * (width + 1) / 2)
        block = [Double](repeating: 0, count: width * blockRows)
    }

    /// Writes the next row through `fill`, which gets a strided view: element j at `j * stride`.
    mutating func append(_ fill: (UnsafeMutablePointer<Double>, _ stride: Int) -> Void) {
        if rowsInBlock == blockRows { flush() }
        let r = rowsInBlock
        let stride = blockRows
        block.withUnsafeMutableBufferPointer { fill($0.baseAddress! + r, stride) }
        rowsInBlock += 1
        rows += 1
    }

    mutating func flush() {
        guard rowsInBlock > 0 else { return }
        var transr = CChar(UInt8(ascii: "N")), uplo = CChar(UInt8(ascii: "U")), trans = CChar(UInt8(ascii: "T"))
        var n = Int32(width), k = Int32(rowsInBlock), lda = Int32(blockRows)
        var alpha = 1.0, beta = 1.0
        dsfrk_(&transr, &uplo, &trans, &n, &k, &alpha, block, &lda, &beta, &packed)
        rowsInBlock = 0
    }

    /// The symmetric Gram matrix, row-major, both triangles filled.
    mutating func gram() -> [Double] {
        flush()
        var full = [Double](repeating: 0, count: width * width)
        var transr = CChar(UInt8(ascii: "N")), uplo = CChar(UInt8(ascii: "U"))
        var n = Int32(width), lda = Int32(width), info: Int32 = 0
        dtfttr_(&transr, &uplo, &n, packed, &full, &lda, &info)
        // Column-major upper (i <= j at j*n+i) is row-major lower; mirror it to both triangles.
        for j in 0..<width { for i in 0...j { full[i * width + j] = full[j * width + i] } }
        return full
    }
}
