#!/usr/bin/env bash
# Runs capsim's batch forecaster beside statsforecast (MSTL and AutoETS) on the same
# synthetic hourly series, in the same session, and prints seconds per series and the ratio.
# The series are the ForecastFitting benchmark's (ForecastSupport/SyntheticHourlySeries.swift:
# seeded, 8,760 hourly points each), written once as a CSV both tools read; the work is a fit
# plus a 14-day (336-step) forecast with 80% and 95% intervals for every series. Timing
# starts after the CSV is read (and, for statsforecast, after a one-series warm-up that
# compiles its numba code). MSTL takes about a second or more per series, so use a subset.
# Usage: Benchmarks/peers/compare-statsforecast.sh PYTHON [SERIES] [MODELS]
#   PYTHON   a python3 with statsforecast installed (e.g. .venv-peers/bin/python)
#   SERIES   how many series (default 20)
#   MODELS   comma-separated statsforecast models (default MSTL,AutoETS)
set -euo pipefail
python=${1:?PYTHON}; count=${2:-20}; models=${3:-MSTL,AutoETS}
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$here" && swift build -c release --scratch-path .build-bench --product forecast-batch >/dev/null)
batch="$here/.build-bench/release/forecast-batch"
"$batch" write "$count" 8760 "$work/series.csv"
echo "== capsim fitBatch + 336-step forecast, $count series x 8760 hourly points, all cores"
"$batch" fit "$work/series.csv" 336 | tee "$work/capsim.json"
echo "== statsforecast ($models), n_jobs=2, same series"
"$python" - "$work/series.csv" "$models" > "$work/peer.json" <<'PY'
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import pandas as pd
from statsforecast import StatsForecast
from statsforecast.models import MSTL, AutoETS
df = pd.read_csv(sys.argv[1], parse_dates=["ds"])
make = {"MSTL": lambda: MSTL(season_length=[24, 168]),          # daily + weekly, as forecast_peers.py
        "AutoETS": lambda: AutoETS(season_length=24)}           # daily seasonal ETS
out = {"series": int(df["unique_id"].nunique()), "results": {}}
for name in sys.argv[2].split(","):
    warm = df[df["unique_id"] == df["unique_id"].iloc[0]]
    StatsForecast(models=[make[name]()], freq="h", n_jobs=1).forecast(df=warm, h=336, level=[80, 95])
    t0 = time.perf_counter()
    fc = StatsForecast(models=[make[name]()], freq="h", n_jobs=2).forecast(df=df, h=336, level=[80, 95])
    secs = time.perf_counter() - t0
    assert len(fc) == 336 * out["series"]
    out["results"][name] = {"seconds": round(secs, 3)}
print(json.dumps(out))
PY
cat "$work/peer.json"
python3 - "$work/capsim.json" "$work/peer.json" <<'PY'
import json, sys
ours = json.load(open(sys.argv[1])); peer = json.load(open(sys.argv[2]))
n = ours["series"]
print(f"{'tool':28} {'seconds':>10} {'ms/series':>10} {'peer/capsim':>12}")
print(f"{'capsim fitBatch':28} {ours['seconds']:>10.3f} {1000 * ours['seconds'] / n:>10.1f} {1:>12.1f}")
for name, r in peer["results"].items():
    print(f"{'statsforecast ' + name:28} {r['seconds']:>10.3f} {1000 * r['seconds'] / n:>10.1f} {r['seconds'] / ours['seconds']:>12.1f}")
PY
