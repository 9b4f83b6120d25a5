#!/bin/sh
# The forecast benchmark (release build): one year of one-minute QPS, fitted and forecast, with its
# time and peak memory; then the hold-out table over the ten shared series of data/qps.
set -e
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-release --product yard
YARD=.build-release/release/yard
DATA=${DATA:-../shared/data/qps}
echo "== one year of one-minute synthetic QPS (525,600 points): fit + forecast to the event, no backtest"
for run in 1 2; do
    /usr/bin/time -v "$YARD" forecast --synthetic 1 --synthetic-years 1 --synthetic-step 1m \
        --event-date 2026-11-11 --name singles-day --service-capacity 50 --zones a,b,c --replicas 20 \
        --backtest-folds 0 2>&1 | grep -E "ms\]|Maximum resident|Elapsed \(wall"
done
echo "== hold-out table: Switchyard vs seasonal naive vs Prophet (bench/forecast/prophet_holdout.csv)"
"$YARD" forecast-bench --data "$DATA" --prophet bench/forecast/prophet_holdout.csv
