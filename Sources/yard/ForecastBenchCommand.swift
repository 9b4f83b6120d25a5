import ArgumentParser
import Foundation
import SwitchyardCore
import SwitchyardRuntime

/// The hold-out comparison of `data/qps/README.md` over every series of a folder, as one table.
struct ForecastBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast-bench",
        abstract: "Score the forecaster on the protocol's hold-out of every series in a folder, beside seasonal naive and Prophet.",
        discussion: """
        For each FILE.csv of --data: hold out the last 7 days of a sub-daily series, the last 60 days of a \
        daily one; fit on the rest (the forecaster's own calibration folds are cut from the rest too); score \
        sMAPE, median APE (MdAPE) and the 80 % interval's coverage of the held-out points. Seasonal naive (the \
        value a week earlier) is scored on the same points; Prophet's figures are read from --prophet (a CSV \
        written by bench/forecast/prophet_holdout.py).
        --tune never looks at the hold-out: it scores 3 rolling folds before it (the figures the defaults \
        were chosen on), with the hidden model flags of `yard forecast --help-hidden`.
        """
    )

    @Option(help: "A folder of timestamp,qps CSV files.") var data = "../shared/data/qps"
    @Option(help: "Prophet's hold-out figures (series,model,points,mape,medianAPE,smape,coverage80,...).") var prophet = "bench/forecast/prophet_holdout.csv"
    @Flag(help: "Score the 3 folds before the hold-out instead of the hold-out (for choosing defaults).") var tune = false
    @Option(help: ArgumentHelp("With --tune: the folds' horizon in days (default: the protocol's, at most a quarter of the history before the hold-out).", visibility: .hidden)) var tuneHorizonDays: Double?
    @Flag(help: ArgumentHelp("With --tune: each fold's 80 % coverage and expected coverage too.", visibility: .hidden)) var eachFold = false
    @OptionGroup(title: "Model") var model: ModelOptions

    struct ProphetRow { var smape: Double; var medianAPE: Double; var coverage80: Double }

    func run() throws {
        let options = try model.options()
        let files: [String]
        do { files = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".csv") }.sorted() } catch {
            throw ValidationError("--data \(data): cannot list the folder: \((error as NSError).localizedDescription)")
        }
        guard !files.isEmpty else { throw ValidationError("--data \(data): no .csv files") }
        let peers = readProphet()
        func f(_ v: Double?) -> String { v.map { $0.isNaN ? "-" : String(format: "%.2f", $0) } ?? "-" }
        func c(_ v: Double?) -> String { v.map { String(format: "%.1f", $0) } ?? "-" }
        let clock = ContinuousClock()
        var rows: [[String]] = []
        var wins = 0, covered = 0, scored = 0
        var tuneScores: [Double] = [], tuneNaive: [Double] = [], tuneCoverageGap: [Double] = []
        for file in files {
            let name = String(file.dropLast(4))
            let series: QPSSeries
            do { series = try CSVHistoryReader.read(path: (data as NSString).appendingPathComponent(file)).series } catch {
                rows.append([name, "error: \(error)"]); continue
            }
            guard let first = series.first, let last = series.last else { continue }
            let holdout: Int64 = series.step < 86_400 ? 7 * 86_400 : 60 * 86_400
            let started = clock.now
            if tune {
                let before = series.slice(to: last + 1 - holdout)
                let h = tuneHorizonDays.map { Int64($0 * 86_400) } ?? min(holdout, max(series.step, (last - first - holdout) / 4))
                let bt = Backtest.run(before, options: options, folds: 3, horizon: h)
                guard let m = bt.model, let n = bt.seasonalNaive else { rows.append([name, "no fold: \(bt.note ?? "?")"]); continue }
                tuneScores.append(m.smape); tuneNaive.append(n.smape)
                tuneCoverageGap.append(abs((m.coverage80 ?? 0) - 80))
                let weights = bt.folds.map { String(format: "%.2f+%.2f r%.2f", $0.blendWeight, $0.medianWeight ?? 0, $0.intervalRecency ?? 1) }.joined(separator: "/")
                if eachFold {
                    print(name + ": " + bt.folds.map { "cov \(c($0.model.coverage80)) expected \(c($0.expectedCoverage80)) sMAPE \(f($0.model.smape)) growth \(f($0.intervalGrowth))" }.joined(separator: " | "))
                }
                let expected = bt.folds.compactMap(\.expectedCoverage80)
                rows.append([name, "\(bt.folds.count)", f(m.smape), f(n.smape), f(m.medianAPE), f(n.medianAPE), c(m.coverage80),
                             c(expected.isEmpty ? nil : expected.reduce(0, +) / Double(expected.count)), weights])
                continue
            }
            let bt = Backtest.run(series, options: options, folds: 1, horizon: holdout)
            let seconds = (clock.now - started) / .seconds(1)
            guard let fold = bt.folds.first else { rows.append([name, "no hold-out: \(bt.note ?? "?")"]); continue }
            let m = fold.model, n = fold.seasonalNaive, p = peers[name]
            scored += 1
            // Below at the table's precision: a forecaster that chose seasonal naive itself ties, not wins.
            func below(_ a: Double, _ b: Double) -> Bool { (a * 100).rounded() < (b * 100).rounded() }
            if below(m.smape, n.smape) && (p.map { below(m.smape, $0.smape) } ?? true) { wins += 1 }
            if let cov = m.coverage80, cov >= 70, cov <= 90 { covered += 1 }
            rows.append([name, "\(m.points)", f(m.smape), f(n.smape), f(p?.smape), f(m.medianAPE), f(n.medianAPE), f(p?.medianAPE),
                         c(m.coverage80), c(p?.coverage80), c(fold.expectedCoverage80), String(format: "%.2f+%.2f", fold.blendWeight, fold.medianWeight ?? 0),
                         String(format: "%.2f", seconds)])
        }
        if tune {
            printTable(header: ["series", "folds", "sMAPE", "naive", "MdAPE", "naive", "cov80", "expected", "naive+median w, recency"], rows: rows)
            let mean = { (xs: [Double]) in xs.isEmpty ? Double.nan : xs.reduce(0, +) / Double(xs.count) }
            print(String(format: "\nfolds before the hold-out: mean sMAPE %.2f (seasonal naive %.2f), below naive on %d of %d, mean |coverage80 - 80| %.2f, within 70-90 on %d of %d",
                         mean(tuneScores), mean(tuneNaive), zip(tuneScores, tuneNaive).filter { $0 < $1 }.count, tuneScores.count, mean(tuneCoverageGap),
                         tuneCoverageGap.filter { $0 <= 10 }.count, tuneCoverageGap.count))
            return
        }
        printTable(header: ["series", "points", "sMAPE sy", "naive", "prophet", "MdAPE sy", "naive", "prophet",
                            "cov80 sy", "prophet", "expected", "naive+median w", "time s"], rows: rows)
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        print("""

        sy = Switchyard (yard forecast's defaults), naive = seasonal naive (a week earlier), prophet = Prophet \(peers.isEmpty ? "(no figures: \(prophet) missing)" : "1.5.0 defaults, interval_width 0.8 (\(prophet))").
        expected = the 80 % interval's coverage on the forecaster's own calibration folds; naive+median w = weights of seasonal naive and of the last four weeks' median it chose;
        time s = Switchyard's fit (calibration folds included) and forecast of the hold-out.
        Switchyard's sMAPE below both on \(wins) of \(scored); its 80 % coverage within 70-90 % on \(covered) of \(scored). Peak RSS \(usage.ru_maxrss / 1024) MB.
        """)
    }

    func readProphet() -> [String: ProphetRow] {
        guard let text = try? String(contentsOfFile: prophet, encoding: .utf8) else { return [:] }
        var lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [:] }
        lines.removeFirst()
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let s = column("series"), let sm = column("smape"), let md = column("medianAPE"), let cv = column("coverage80") else { return [:] }
        var out: [String: ProphetRow] = [:]
        for line in lines where line.count == header.count {
            if let a = Double(line[sm]), let b = Double(line[md]), let c = Double(line[cv]) { out[line[s]] = ProphetRow(smape: a, medianAPE: b, coverage80: c) }
        }
        return out
    }

    func printTable(header: [String], rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows where row.count == header.count { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in i == 0 ? cell.padding(toLength: widths[0], withPad: " ", startingAt: 0)
                : String(repeating: " ", count: max(0, widths[i] - cell.count)) + cell }.joined(separator: "  ")
        }
        print(line(header))
        for row in rows { print(row.count == header.count ? line(row) : row.joined(separator: "  ")) }
    }
}
