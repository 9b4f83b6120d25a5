/// The k-th smallest value without sorting (quickselect, median-of-three pivots): the fit takes a
/// median and four quantiles of half a million residuals, where a full sort cost more than the
/// solve. The values are the ones `sorted()[k]` gives.
enum OrderStatistic {
    /// Rearranges `values[range]` so that `values[k]` is the value a sort would put there, with no
    /// larger value before it and no smaller one after it (within `range`).
    static func select(_ values: inout [Float], _ k: Int, in range: Range<Int>) -> Float {
        precondition(range.contains(k))
        return values.withUnsafeMutableBufferPointer { a in
            var lo = range.lowerBound, hi = range.upperBound - 1
            while hi > lo {
                let mid = lo + (hi - lo) / 2
                // Median of three to a[mid], then Hoare partition around it.
                if a[mid] < a[lo] { a.swapAt(mid, lo) }
                if a[hi] < a[lo] { a.swapAt(hi, lo) }
                if a[hi] < a[mid] { a.swapAt(hi, mid) }
                let pivot = a[mid]
                var i = lo, j = hi
                while i <= j {
                    while a[i] < pivot { i += 1 }
                    while a[j] > pivot { j -= 1 }
                    if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
                }
                if k <= j { hi = j } else if k >= i { lo = i } else { break }
            }
            return a[k]
        }
    }

    /// The values at the ascending indices `ks` of the sorted order (each within 0 ..< count).
    static func select(_ values: inout [Float], _ ks: [Int]) -> [Float] {
        var out = [Float](repeating: 0, count: ks.count)
        var upper = values.count
        for (position, k) in ks.enumerated().reversed() {
            out[position] = select(&values, k, in: 0..<upper)
            upper = k + 1
        }
        return out
    }
}
