/// Everything `yard forecast` prints, as one value (encoded for `--json`, drawn for `--html`).
public struct ForecastReport: Sendable, Hashable, Codable {
    public struct History: Sendable, Hashable, Codable {
        public var source: String
        public var points: Int
        @ISO8601Time public var first: Int64
        @ISO8601Time public var last: Int64
        public var stepSeconds: Int64
        public var gaps: Int
        public var longestGapSeconds: Int64
    }

    public struct ModelSummary: Sendable, Hashable, Codable {
        public var annualGrowth: Double
        public var residualSD: Double
        public var columns: Int
        public var changepoints: Int
        public var dailyOrder: Int
        public var weeklyOrder: Int
        public var yearlyOrder: Int
        public var pastEvents: [String]
        /// How the forecast was made: the blend with seasonal naive and the intervals' source.
        public var method: String
        public var blendWeight: Double
        /// The weight of the seasonal median of the last four weeks (nil in reports written before it existed).
        public var medianWeight: Double?
        public var calibrationFolds: [Forecaster.Fold]
        /// The 80 % interval should cover this share of what happens (%)...
        public var expectedCoverage80: Double
        /// ...and covered this share on the calibration folds, each fold scored by the
        /// intervals calibrated on the others (%; nil with fewer than two folds).
        public var foldCoverage80: Double?

        public init(_ forecaster: Forecaster) {
            let model = forecaster.model
            method = forecaster.summary
            blendWeight = forecaster.blendWeight
            medianWeight = forecaster.medianWeight
            calibrationFolds = forecaster.folds
            expectedCoverage80 = 80
            foldCoverage80 = forecaster.foldCoverage80
            annualGrowth = model.annualGrowth
            residualSD = model.residualSD
            columns = model.layout.columns
            changepoints = model.layout.changepoints.count
            dailyOrder = model.layout.dailyOrder
            weeklyOrder = model.layout.weeklyOrder
            yearlyOrder = model.layout.yearlyOrder
            pastEvents = model.layout.events.map(\.name)
        }
    }

    public struct Target: Sendable, Hashable, Codable {
        public var name: String
        @ISO8601Time public var windowStart: Int64
        @ISO8601Time public var windowEnd: Int64
        @ISO8601Time public var eventStart: Int64
        @ISO8601Time public var eventEnd: Int64
        public var basis: String
    }

    public var name: String
    public var history: History
    public var model: ModelSummary
    public var target: Target
    /// The highest point forecast in the target window, with its intervals.
    public var peak: ForecastPoint
    /// The highest 95 % upper bound in the window: what the capacity plan provisions for.
    public var peakUpper95: Double
    public var ordinaryPeak: ForecastPoint
    public var ordinaryUpper95: Double
    public var capacity: ZoneCapacityPlan
    public var backtest: Backtest
    /// At most ~1,500 points each, bucket maxima (peaks survive), for the chart.
    public var chartHistory: [ForecastPoint]
    public var chartForecast: [ForecastPoint]
    /// The model's fit at the chart's history times.
    public var chartFit: [ForecastPoint] = []
    /// The past events the model learned from, for the chart.
    public var chartEvents: [ChartEvent] = []
    /// Things a planner must not miss (today's fleet short of an ordinary day).
    public var warnings: [String] = []

    public struct ChartEvent: Sendable, Hashable, Codable {
        public var name: String
        @ISO8601Time public var start: Int64
        @ISO8601Time public var end: Int64

        public init(name: String, start: Int64, end: Int64) {
            self.name = name
            self.start = start
            self.end = end
        }
    }
}
