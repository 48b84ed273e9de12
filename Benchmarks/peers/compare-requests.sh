#!/usr/bin/env bash
# Runs capsim's requests fidelity beside the per-request SimPy peer (shared/peers/
# requests_simpy.py) on the same stationary cases, in the same session, and prints one
# table: requests, latency p50/p90/p99/p99.9 of capsim, of SimPy and, for random routing
# with exponential service and no timeout, of the M/M/c closed form the peer prints
# (`analytic`); wall seconds of each and SimPy wall / capsim wall.
# Every case: a fixed fleet of 10 instances x 4 workers, Poisson arrivals at a constant
# per-minute rate (utilization x 10 x 4 x 60000 / 20 ms), service mean 20 ms. capsim runs a
# scenario written to a temp dir (constant per-minute demand CSV, min = max = 10, no
# policies, simulation.fidelity: requests). The two use different random streams: agreement
# is statistical. capsim's wall is the whole process (YAML, CSV, simulation, billing, JSON);
# SimPy's is the peer's `env.run()` alone (its wall_seconds), so the ratio favours the peer.
# Takes about two to three minutes on 2 cores, most of it SimPy's 60-minute case.
# Usage: Benchmarks/peers/compare-requests.sh PEERS_DIR PYTHON [CAPSIM]
#   PEERS_DIR  folder with requests_simpy.py (shared/peers)
#   PYTHON     a python3 with simpy installed (e.g. .venv-peers/bin/python)
#   CAPSIM     a capsim binary (default: build one into .build-peers, apart from .build)
set -euo pipefail
peers=$(cd "${1:?PEERS_DIR}" && pwd)
python=$(command -v "${2:?PYTHON}") || { echo "no python at $2" >&2; exit 1; }
python=$(cd "$(dirname "$python")" && pwd)/$(basename "$python")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [[ $# -ge 3 ]]; then
  capsim=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
else
  (cd "$root" && swift build -c release --scratch-path .build-peers --product capsim >/dev/null)
  capsim="$root/.build-peers/release/capsim"
fi
# A private copy, so that a rebuild of the binary during the run cannot mix two versions.
cp "$capsim" "$work/capsim"
"$python" -c 'import simpy' || { echo "$python has no simpy (pip install simpy)" >&2; exit 1; }

instances=10; workers=4; service_ms=20
# name | peer --lb | utilization | minutes | peer --dist | cv | timeout ms (- = none)
cases="random-u0.05-10m|random|0.05|10|exp|1|-
random-u0.9-5m|random|0.9|5|exp|1|-
random-u0.9-60m|random|0.9|60|exp|1|-
lor-u0.9-timeout200-5m|lor|0.9|5|exp|1|200
rr-u0.8-10m|rr|0.8|10|exp|1|-
lognormal-cv2-random-u0.85-5m|random|0.85|5|lognormal|2|-
lognormal-cv2-lor-u0.85-5m|lor|0.85|5|lognormal|2|-"

: > "$work/results.jsonl"
while IFS='|' read -r name lb util minutes dist cv timeout; do
  rate=$(python3 -c "print(round($util * $instances * $workers * 60000 / $service_ms, 6))")
  dir="$work/$name"; mkdir -p "$dir"
  python3 - "$dir/demand.csv" "$minutes" "$rate" <<'PY'
import datetime, sys
path, minutes, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3]
t0 = datetime.datetime(2026, 1, 5, tzinfo=datetime.timezone.utc)
with open(path, "w") as f:
    f.write("timestamp,value\n")
    for m in range(minutes):
        f.write(f"{(t0 + datetime.timedelta(minutes=m)).strftime('%Y-%m-%dT%H:%M:%SZ')},{rate}\n")
PY
  case $lb in random) balancer=random ;; rr) balancer=roundRobin ;; lor) balancer=leastOutstandingRequests ;; esac
  if [[ $dist == exp ]]; then
    service="{distribution: exponential, meanMs: $service_ms}"
  else
    service="{distribution: lognormal, meanMs: $service_ms, cv: $cv}"
  fi
  timeout_line=""; timeout_args=()
  if [[ $timeout != - ]]; then timeout_line="  timeoutMs: $timeout"; timeout_args=(--timeout-ms "$timeout"); fi
  cat > "$dir/case.yaml" <<YAML
name: $name
timeZone: UTC
demand: {csv: demand.csv, values: perMinute}
serving:
  workersPerInstance: $workers
  serviceTime: $service
  loadBalancer: $balancer
$timeout_line
fleet: {region: us-east-1, instanceType: m5.large, minSize: $instances, maxSize: $instances,
        launchTime: 1m, warmup: 0}
variants:
  - name: fixed
simulation: {tick: 1m, seed: 1, fidelity: requests}
YAML
  echo "== $name: $rate requests/min, $minutes min, lb $lb, $dist service" >&2
  start=$(date +%s.%N)
  (cd "$dir" && "$work/capsim" run case.yaml --format json > capsim.json)
  end=$(date +%s.%N)
  "$python" "$peers/requests_simpy.py" --rate-per-min "$rate" --instances "$instances" \
    --workers "$workers" --service-ms "$service_ms" --minutes "$minutes" --lb "$lb" \
    --dist "$dist" --cv "$cv" --seed 1 ${timeout_args[@]+"${timeout_args[@]}"} > "$dir/peer.json"
  python3 - "$name" "$dir/capsim.json" "$dir/peer.json" "$start" "$end" >> "$work/results.jsonl" <<'PY'
import json, sys
name, ours, peer = sys.argv[1], json.load(open(sys.argv[2]))["variants"][0], json.load(open(sys.argv[3]))
print(json.dumps({"case": name, "capsim": ours, "peer": peer, "capsim_wall": float(sys.argv[5]) - float(sys.argv[4])}))
PY
done <<< "$cases"

python3 - "$work/results.jsonl" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
keys = ("p50", "p90", "p99", "p999")
print(f"{'case':30} {'tool':7} {'requests':>9} {'timed out':>9} {'p50 ms':>8} {'p90 ms':>8} "
      f"{'p99 ms':>8} {'p99.9 ms':>8} {'wall s':>7} {'SimPy/capsim':>12}")
def line(case, tool, requests, timed_out, lat, wall="", ratio=""):
    print(f"{case:30} {tool:7} {requests:>9} {timed_out:>9} "
          + " ".join(f"{lat[k]:>8.1f}" for k in keys) + f" {wall:>7} {ratio:>12}")
for r in rows:
    c, p = r["capsim"], r["peer"]
    line(r["case"], "capsim", c["requests"], c["timedOutRequests"], c["latencyMs"], f"{r['capsim_wall']:.2f}",
         f"{p['wall_seconds'] / r['capsim_wall']:.1f}x")
    line("", "SimPy", p["requests"], p["timed_out"], p["latency_ms"], f"{p['wall_seconds']:.2f}")
    if "analytic" in p:
        line("", "M/M/c", "", "", p["analytic"]["latency_ms"])
total_c = sum(r["capsim_wall"] for r in rows); total_p = sum(r["peer"]["wall_seconds"] for r in rows)
print(f"total wall: capsim {total_c:.2f} s (whole processes), SimPy {total_p:.2f} s (simulation loops), "
      f"ratio {total_p / total_c:.1f}x")
PY
