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
