import ArgumentParser
import SwitchyardCore

/// The forecaster's knobs on the command line. The defaults are `ForecastOptions()`'s; the hidden
/// ones exist to re-run the choice of defaults (`yard forecast-bench --tune`).
struct ModelOptions: ParsableArguments {
    @Option(help: "Ridge penalty on trend changes (larger: stiffer trend).") var changepointPenalty: Double?
    @Flag(help: "Skip the Huber reweighting pass.") var noRobust = false
    @Option(help: "Calibration folds inside the history (0: the model's own residual intervals, no blend).") var calibrationFolds: Int?
    @Option(help: ArgumentHelp("Huber threshold (robust standard deviations).", visibility: .hidden)) var huberK: Double?
    @Option(help: ArgumentHelp("Offset added before the log, as a share of the median QPS.", visibility: .hidden)) var offsetShare: Double?
    @Option(help: ArgumentHelp("Fourier order of the daily shape.", visibility: .hidden)) var dailyOrder: Int?
    @Option(help: ArgumentHelp("Fourier order of the weekend days' own shape.", visibility: .hidden)) var weekendDailyOrder: Int?
    @Option(help: ArgumentHelp("Fourier order of the weekly shape.", visibility: .hidden)) var weeklyOrder: Int?
    @Option(help: ArgumentHelp("Fourier order of the yearly shape.", visibility: .hidden)) var yearlyOrder: Int?
    @Option(help: ArgumentHelp("Changepoints at most.", visibility: .hidden)) var changepoints: Int?
    @Option(help: ArgumentHelp("Share of the history where changepoints may sit.", visibility: .hidden)) var changepointRange: Double?
    @Option(help: ArgumentHelp("Seasonal-naive weights to choose from, comma-separated (0 alone: no blend).", visibility: .hidden)) var blendWeights: String?

    @Option(help: ArgumentHelp("How interval slices are kept from narrowing: runningMax or isotonic.", visibility: .hidden)) var intervalMonotone: String?
    @Option(help: ArgumentHelp("Pseudo-count of the pooled fold errors in each lead-time slice's quantiles.", visibility: .hidden)) var intervalShrinkage: Double?
    @Option(help: ArgumentHelp("Exponent of the interval's widening past the fold horizon (auto: from the slices).", visibility: .hidden)) var intervalGrowth: String?

    @Option(help: ArgumentHelp("Seasonal-median weights to choose from, comma-separated.", visibility: .hidden)) var medianBlendWeights: String?
    @Option(help: ArgumentHelp("Relative sMAPE within which the blend with the least partner weight is chosen.", visibility: .hidden)) var blendTolerance: Double?

    @Option(help: ArgumentHelp("Rescale fold errors by the residual spread before each origin (on/off).", visibility: .hidden)) var intervalLocalScale: String?

    @Option(help: ArgumentHelp("Fold errors from the blend chosen on the other folds (on/off).", visibility: .hidden)) var intervalCrossBlend: String?

    @Option(help: ArgumentHelp("Weight of each calibration fold's errors relative to the next more recent fold's (0 < r ≤ 1).", visibility: .hidden)) var intervalRecency: Double?
    @Option(help: ArgumentHelp("Recencies each series chooses from on its own folds, comma-separated (none: the fixed one).", visibility: .hidden)) var intervalRecencies: String?

    @Option(help: ArgumentHelp("How the calibration folds' spreads are combined: pooled, median or capped.", visibility: .hidden)) var intervalFoldSpread: String?

    @Option(help: ArgumentHelp("Scale the interval until the fold of median coverage is covered 80 % (on/off).", visibility: .hidden)) var intervalTypicalWindow: String?

    @Option(help: ArgumentHelp("Estimate the widening past the fold horizon from the slices before or after they are kept from narrowing (before/after).", visibility: .hidden)) var intervalGrowthFrom: String?

    func options() throws -> ForecastOptions {
        var o = ForecastOptions()
        if let changepointPenalty { o.changepointPenalty = changepointPenalty }
        o.robust = !noRobust
        if let calibrationFolds { o.calibrationFolds = max(0, calibrationFolds) }
        if let huberK { o.huberK = huberK }
        if let offsetShare { o.offsetShare = offsetShare }
        if let dailyOrder { o.dailyOrder = dailyOrder }
        if let weekendDailyOrder { o.weekendDailyOrder = weekendDailyOrder }
        if let weeklyOrder { o.weeklyOrder = weeklyOrder }
        if let yearlyOrder { o.yearlyOrder = yearlyOrder }
        if let changepoints { o.changepoints = changepoints }
        if let changepointRange { o.changepointRange = changepointRange }
        if let intervalMonotone {
            guard let m = IntervalCalibration.Monotone(rawValue: intervalMonotone) else {
                throw ValidationError("--interval-monotone: expected one of \(IntervalCalibration.Monotone.allCases.map(\.rawValue).joined(separator: ", ")), got \(intervalMonotone)")
            }
            o.interval.monotone = m
        }
        if let intervalLocalScale {
            guard ["on", "off"].contains(intervalLocalScale) else { throw ValidationError("--interval-local-scale: expected on or off, got \(intervalLocalScale)") }
            o.interval.localScale = intervalLocalScale == "on"
        }
        if let intervalTypicalWindow {
            guard ["on", "off"].contains(intervalTypicalWindow) else { throw ValidationError("--interval-typical-window: expected on or off, got \(intervalTypicalWindow)") }
            o.interval.typicalWindow = intervalTypicalWindow == "on"
        }
        if let intervalGrowthFrom {
            guard ["before", "after"].contains(intervalGrowthFrom) else { throw ValidationError("--interval-growth-from: expected before or after, got \(intervalGrowthFrom)") }
            o.interval.growthBeforeMonotone = intervalGrowthFrom == "before"
        }
        if let intervalCrossBlend {
            guard ["on", "off"].contains(intervalCrossBlend) else { throw ValidationError("--interval-cross-blend: expected on or off, got \(intervalCrossBlend)") }
            o.interval.crossBlend = intervalCrossBlend == "on"
        }
        if let intervalFoldSpread {
            guard let spread = FoldSpread(rawValue: intervalFoldSpread) else {
                throw ValidationError("--interval-fold-spread: expected one of \(FoldSpread.allCases.map(\.rawValue).joined(separator: ", ")), got \(intervalFoldSpread)")
            }
            o.interval.foldSpread = spread
        }
        if let intervalRecency {
            guard intervalRecency > 0, intervalRecency <= 1 else { throw ValidationError("--interval-recency: expected a number in (0, 1], got \(intervalRecency)") }
            o.interval.recency = intervalRecency
        }
        if let intervalRecencies {
            let values = intervalRecencies == "none" ? [] : intervalRecencies.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.allSatisfy({ $0 > 0 && $0 <= 1 }), intervalRecencies == "none" || !values.isEmpty else {
                throw ValidationError("--interval-recencies: expected numbers in (0, 1], comma-separated, or none, got \(intervalRecencies)")
            }
            o.interval.recencies = values
        }
        if let intervalShrinkage { o.interval.shrinkage = max(0, intervalShrinkage) }
        if let intervalGrowth {
            if intervalGrowth == "auto" { o.interval.growthExponent = nil } else {
                guard let g = Double(intervalGrowth), g >= 0 else { throw ValidationError("--interval-growth: expected auto or a number ≥ 0, got \(intervalGrowth)") }
                o.interval.growthExponent = g
            }
        }
        if let blendTolerance { o.blendTolerance = max(0, blendTolerance) }
        if let medianBlendWeights {
            let weights = medianBlendWeights.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !weights.isEmpty, weights.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                throw ValidationError("--median-blend-weights: expected numbers from 0 to 1, comma-separated, got \(medianBlendWeights)")
            }
            o.medianBlendWeights = weights
        }
        if let blendWeights {
            let weights = blendWeights.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard !weights.isEmpty, weights.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                throw ValidationError("--blend-weights: expected numbers from 0 to 1, comma-separated, got \(blendWeights)")
            }
            o.blendWeights = weights
        }
        return o
    }
}
