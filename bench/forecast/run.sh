#!/bin/sh
# Fit and forecast on one year of one-minute synthetic QPS (525,600 points), release build.
# Prints the phase timings (stderr, from `yard forecast`) and the peak memory (/usr/bin/time -v).
set -e
cd "$(dirname "$0")/../.."
swift build -c release --scratch-path .build-release --product yard
YARD=.build-release/release/yard
echo "== fit + forecast, no backtest"
/usr/bin/time -v "$YARD" forecast --synthetic 1 --synthetic-years 1 --synthetic-step 1m \
    --event-date 2026-11-11 --name singles-day --service-capacity 50 --zones a,b,c --replicas 20 \
    --backtest-folds 0 2>&1 | grep -E "ms\]|Maximum resident|Elapsed \(wall|peak |backtest"
echo "== the same with the 3-fold backtest"
/usr/bin/time -v "$YARD" forecast --synthetic 1 --synthetic-years 1 --synthetic-step 1m \
    --event-date 2026-11-11 --name singles-day --service-capacity 50 --zones a,b,c --replicas 20 \
    2>&1 | grep -E "ms\]|Maximum resident|Elapsed \(wall|peak |backtest"
echo "== real series: Switchyard vs Prophet vs seasonal naive"
python3 bench/forecast/prophet_compare.py --yard "$YARD"
