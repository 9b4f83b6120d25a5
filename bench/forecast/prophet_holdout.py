#!/usr/bin/env python3
"""Prophet 1.5.0 (defaults, interval_width=0.8) on the hold-out of the ten shared QPS series.

Protocol (data/qps/README.md): hold out the last 7 days of a sub-daily series, the last 60 days of
a daily one (every point later than `last - holdout`); fit on the rest; score MAPE (zero actuals
skipped), median APE, sMAPE, 80 % interval coverage; time fit + predict; peak RSS of the process.

Writes bench/forecast/prophet_holdout.csv, which `bench/forecast/table.sh` reads, so that the table
does not need Python. Regenerate (takes a few minutes; each series runs in its own process so that
its peak RSS is its own):

    python3 -m venv /tmp/prophet-venv && /tmp/prophet-venv/bin/pip install prophet==1.5.0
    /tmp/prophet-venv/bin/python bench/forecast/prophet_holdout.py [--data DIR] [--out CSV]

Prophet gets the raw QPS (its default use, `y` = the series), no log transform, no tuning.
"""
import argparse, csv, json, math, os, resource, subprocess, sys, time
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERIES = [
    "twitter_volume_amzn", "twitter_volume_aapl", "twitter_volume_fb", "twitter_volume_ibm",
    "twitter_volume_ko", "twitter_volume_crm", "ec2_network_in_257a54",
    "peyton_manning_views", "wp_views_r_daily", "pedestrians_covid_daily",
]
FIELDS = ["series", "model", "points", "mape", "medianAPE", "smape", "coverage80", "seconds", "maxrssMB", "version"]


def load(path):
    rows = []
    with open(path) as f:
        next(f)
        for line in f:
            parts = line.strip().split(",")
            if len(parts) < 2 or parts[1] == "":
                continue
            rows.append((datetime.fromisoformat(parts[0]), float(parts[1])))
    rows.sort()
    return rows


def metrics(actual, predicted, lower, upper):
    apes = sorted(abs(p - a) / abs(a) * 100 for a, p in zip(actual, predicted) if a != 0)
    smape = [abs(p - a) / ((abs(p) + abs(a)) / 2) * 100 if (abs(p) + abs(a)) > 0 else 0 for a, p in zip(actual, predicted)]
    n = len(apes)
    median = (apes[n // 2] if n % 2 else (apes[n // 2 - 1] + apes[n // 2]) / 2) if n else float("nan")
    inside = sum(1 for a, lo, hi in zip(actual, lower, upper) if lo <= a <= hi)
    return {"points": len(actual), "mape": sum(apes) / max(1, n), "medianAPE": median,
            "smape": sum(smape) / max(1, len(smape)), "coverage80": inside / len(actual) * 100}


def one(name, data_dir):
    import logging
    import pandas as pd
    import prophet
    from prophet import Prophet
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)
    logging.getLogger("prophet").setLevel(logging.WARNING)
    data = load(os.path.join(data_dir, name + ".csv"))
    step = sorted((b[0] - a[0]).total_seconds() for a, b in zip(data, data[1:]))[len(data) // 2]
    holdout = timedelta(days=7) if step < 86400 else timedelta(days=60)
    cut = data[-1][0] - holdout + timedelta(seconds=1)
    train = [(t, v) for t, v in data if t < cut]
    test = [(t, v) for t, v in data if t >= cut]
    start = time.perf_counter()
    m = Prophet(interval_width=0.8)
    m.fit(pd.DataFrame({"ds": [t for t, _ in train], "y": [v for _, v in train]}))
    fc = m.predict(pd.DataFrame({"ds": [t for t, _ in test]}))
    elapsed = time.perf_counter() - start
    out = metrics([v for _, v in test], list(fc["yhat"]), list(fc["yhat_lower"]), list(fc["yhat_upper"]))
    out.update(series=name, model="prophet", seconds=elapsed,
               maxrssMB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, version=prophet.__version__)
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(os.path.dirname(ROOT), "shared/data/qps"))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench/forecast/prophet_holdout.csv"))
    ap.add_argument("--one")
    args = ap.parse_args()
    if args.one:
        one(args.one, args.data)
        return
    rows = []
    for name in SERIES:
        r = subprocess.run([sys.executable, __file__, "--one", name, "--data", args.data], capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"{name}: prophet failed: {r.stderr.strip()[-500:]}")
        row = json.loads(r.stdout.strip().splitlines()[-1])
        print(f"{name:26} sMAPE {row['smape']:7.2f}  MdAPE {row['medianAPE']:7.2f}  cov80 {row['coverage80']:5.1f}  {row['seconds']:.2f} s", file=sys.stderr)
        rows.append(row)
    with open(args.out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        for row in rows:
            w.writerow({k: (f"{row[k]:.4f}" if isinstance(row[k], float) else row[k]) for k in FIELDS})
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
