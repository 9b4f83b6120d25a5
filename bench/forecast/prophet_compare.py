#!/usr/bin/env python3
"""Switchyard vs Prophet vs seasonal-naive on the two real series (bench/data/).

Protocol (bench/data/README.md): hold out the last 7 days of a sub-daily series, the last 60 days
of a daily one; fit on the rest; report MAPE (zero actuals skipped), median APE, sMAPE, 80 %
interval coverage, fit+predict time and peak memory.

Usage: python3 bench/forecast/prophet_compare.py [--yard PATH]   (run from the repository root)
Switchyard is run through `yard forecast --backtest-folds 1 --json`, whose fold 0 is the same
hold-out. Prophet is installed with pip when it can be; otherwise its rows say why they are missing.
"""
import argparse, json, math, os, resource, subprocess, sys, time
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERIES = [
    ("twitter_volume_amzn", os.path.join(ROOT, "bench/data/twitter_volume_amzn.csv"), timedelta(days=7)),
    ("peyton_manning_views", os.path.join(ROOT, "bench/data/peyton_manning_views.csv"), timedelta(days=60)),
]


def load(path):
    rows = []
    with open(path) as f:
        next(f)
        for line in f:
            t, v = line.strip().split(",")[:2]
            if v == "":
                continue
            rows.append((datetime.fromisoformat(t), float(v)))
    rows.sort()
    return rows


def metrics(actual, predicted, lower=None, upper=None):
    apes = [abs(p - a) / abs(a) * 100 for a, p in zip(actual, predicted) if a != 0]
    smape = [abs(p - a) / ((abs(p) + abs(a)) / 2) * 100 if (abs(p) + abs(a)) > 0 else 0 for a, p in zip(actual, predicted)]
    apes_sorted = sorted(apes)
    n = len(apes_sorted)
    median = (apes_sorted[n // 2] if n % 2 else (apes_sorted[n // 2 - 1] + apes_sorted[n // 2]) / 2) if n else float("nan")
    out = {"mape": sum(apes) / max(1, n), "medianAPE": median, "smape": sum(smape) / max(1, len(smape)), "points": len(actual)}
    if lower is not None:
        inside = sum(1 for a, lo, hi in zip(actual, lower, upper) if lo <= a <= hi)
        out["coverage80"] = inside / len(actual) * 100
    return out


def seasonal_naive(train, test):
    known = dict(train)
    origin = test[0][0]
    week = timedelta(days=7)
    actual, predicted = [], []
    for t, v in test:
        weeks = (t - origin) // week + 1
        for extra in range(4):
            f = known.get(t - (weeks + extra) * week)
            if f is not None:
                actual.append(v)
                predicted.append(f)
                break
    return metrics(actual, predicted)


def ensure_prophet():
    try:
        import prophet  # noqa: F401
        return None
    except ImportError:
        pass
    r = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "prophet"], capture_output=True, text=True)
    if r.returncode != 0:
        return "pip install prophet failed: " + (r.stderr.strip().splitlines() or ["?"])[-1]
    try:
        import prophet  # noqa: F401
        return None
    except ImportError as e:
        return f"prophet not importable after pip install: {e}"


def run_prophet(train, test, log_y):
    import logging
    import pandas as pd
    from prophet import Prophet
    logging.getLogger("cmdstanpy").setLevel(logging.WARNING)
    logging.getLogger("prophet").setLevel(logging.WARNING)
    floor = min((v for _, v in train if v > 0), default=1) / 2
    df = pd.DataFrame({"ds": [t for t, _ in train], "y": [math.log(max(v, floor)) if log_y else v for _, v in train]})
    start = time.perf_counter()
    m = Prophet(interval_width=0.8)
    m.fit(df)
    fc = m.predict(pd.DataFrame({"ds": [t for t, _ in test]}))
    elapsed = time.perf_counter() - start
    yhat, lo, hi = list(fc["yhat"]), list(fc["yhat_lower"]), list(fc["yhat_upper"])
    if log_y:
        yhat, lo, hi = [math.exp(x) for x in yhat], [math.exp(x) for x in lo], [math.exp(x) for x in hi]
    out = metrics([v for _, v in test], yhat, lo, hi)
    out["seconds"] = elapsed
    out["maxrssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def run_switchyard(yard, path, last):
    event = (last + timedelta(days=2)).strftime("%Y-%m-%d")
    cmd = ["/usr/bin/time", "-f", "%e %M", yard, "forecast", "--csv", path, "--event-date", event,
           "--service-capacity", "100", "--backtest-folds", "1", "--json"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        return {"error": r.stderr.strip()[-300:]}
    wall, rss_kb = r.stderr.strip().splitlines()[-1].split()
    report = json.loads(r.stdout)
    fold = report["backtest"]["folds"][0]["model"]
    return {**fold, "seconds": float(wall), "maxrssMB": int(rss_kb) / 1024,
            "note": "whole CLI run: history read, 2 fits (plan + hold-out), forecast"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--yard", default=os.path.join(ROOT, ".build-release/release/yard"))
    args = ap.parse_args()
    prophet_error = ensure_prophet()
    rows = []
    for name, path, holdout in SERIES:
        data = load(path)
        last = data[-1][0]
        cut = last - holdout + timedelta(seconds=1)
        train = [(t, v) for t, v in data if t < cut]
        test = [(t, v) for t, v in data if t >= cut]
        rows.append((name, "seasonal naive", seasonal_naive(train, test)))
        if os.path.exists(args.yard):
            rows.append((name, "switchyard", run_switchyard(args.yard, path, last)))
        else:
            rows.append((name, "switchyard", {"error": f"{args.yard} not built (swift build -c release --scratch-path .build-release)"}))
        if prophet_error:
            rows.append((name, "prophet", {"error": prophet_error}))
        else:
            for log_y in (False, True):
                rows.append((name, "prophet (log y)" if log_y else "prophet", run_prophet(train, test, log_y)))
    print(f"{'series':22} {'model':16} {'MAPE':>8} {'medAPE':>8} {'sMAPE':>8} {'cov80':>7} {'time s':>8} {'maxrss MB':>10}")
    for name, model, m in rows:
        if "error" in m:
            print(f"{name:22} {model:16} {m['error']}")
            continue
        cov = f"{m['coverage80']:.1f}" if m.get("coverage80") is not None else "-"
        secs = f"{m['seconds']:.2f}" if "seconds" in m else "-"
        rss = f"{m['maxrssMB']:.0f}" if "maxrssMB" in m else "-"
        print(f"{name:22} {model:16} {m['mape']:8.2f} {m['medianAPE']:8.2f} {m['smape']:8.2f} {cov:>7} {secs:>8} {rss:>10}")


if __name__ == "__main__":
    main()
