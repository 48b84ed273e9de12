#!/usr/bin/env bash
# The forecast accuracy table of docs/forecasting.md: capsim's backtest on the shipped
# traces (hold out the last 7 days, ELB the last day; then 4 rolling origins) and on the
# synthetic spike / level-shift / short series (Benchmarks/accuracy/*.csv, made by
# make-series.py). Prints one markdown row per series and split.
#   Benchmarks/accuracy/forecast-accuracy.sh [path/to/capsim]   (default: release build)
set -euo pipefail
cd "$(dirname "$0")/../.."
capsim=${1:-.build/release/capsim}
row() {  # file horizon extra-args...
  local file=$1 horizon=$2; shift 2
  "$capsim" forecast "$file" --horizon "$horizon" --backtest --format json "$@" 2>/dev/null | python3 -c '
import json, sys
r = {x["method"]: x for x in json.load(sys.stdin)["results"]}
m, w, d = r["seasonal-regression"], r["seasonal-naive-weekly"], r["seasonal-naive-daily"]
k = ("MASE", "coverage80", "coverage95")
print("| %s | %.3f | %.3f | %.3f | %.2f / %.2f | %s |" % (sys.argv[1], m[k[0]], w[k[0]], d[k[0]], m[k[1]], m[k[2]], sys.argv[2]))' "$(basename "$file") $*" "${widest:--}"
}
# The widest 95% upper bound of a 14-day forecast past the end, over the history's peak:
# how far the intervals (and the sample paths within them) reach.
reach() {
  "$capsim" forecast "$1" --horizon 14d --format csv 2>/dev/null | python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
from datetime import datetime
data = list(csv.DictReader(open(sys.argv[1])))
stamp = lambda r: datetime.fromisoformat(r["timestamp"].replace("Z", "+00:00"))
minutes = (stamp(data[1]) - stamp(data[0])).total_seconds() / 60   # values are per interval
peak = max(float(r["value"]) for r in data) / minutes
print("%.2f" % (max(float(r["hi-95"]) for r in rows) / peak))' "$1"
}
echo "| series (split) | capsim MASE | weekly naive | daily naive | cov 80 / 95 | hi-95 max / peak, 14 d ahead |"
echo "|---|---|---|---|---|---|"
for f in Twitter_volume_AMZN Twitter_volume_GOOG nyc_taxi; do row scenarios/data/$f.csv 7d; done
row scenarios/data/nyc_taxi.csv 7d --holidays us
row scenarios/data/elb_request_count_8c0756.csv 1d
for f in Twitter_volume_AMZN Twitter_volume_GOOG nyc_taxi; do row scenarios/data/$f.csv 7d --origins 4; done
row scenarios/data/nyc_taxi.csv 7d --holidays us --origins 4
row scenarios/data/elb_request_count_8c0756.csv 1d --origins 4
for f in Benchmarks/accuracy/*.csv; do
  [ -e "$f" ] || continue
  widest=$(reach "$f") row "$f" 7d
done
