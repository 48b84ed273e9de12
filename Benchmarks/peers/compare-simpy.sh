#!/usr/bin/env bash
# Runs capsim beside the SimPy peer (../shared/peers/asg_simpy.py) on the same per-minute
# food-delivery demand, in the same session, and prints both results and the speed ratio.
# Usage: Benchmarks/peers/compare-simpy.sh PEERS_DIR PYTHON [DAYS]
#   PEERS_DIR  folder with make_demand.py and asg_simpy.py (shared/peers)
#   PYTHON     a python3 with simpy installed (e.g. .venv-peers/bin/python)
set -euo pipefail
peers=${1:?PEERS_DIR}; python=${2:?PYTHON}; days=${3:-7}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
python3 "$peers/make_demand.py" --days "$days" --seed 1 > "$work/demand.csv"
cat > "$work/peer.yaml" <<YAML
# The SimPy peer's default configuration (asg_simpy.py DEFAULTS) as a capsim scenario.
name: simpy-peer-${days}d
timeZone: UTC
demand: {csv: demand.csv, values: perMinute}
capacity: {unitsPerMinute: {m5.large: 100}}
fleet: {region: us-east-1, instanceType: m5.large, minSize: 2, maxSize: 500, initialCapacity: 2,
        launchTime: 120s, warmup: 300s}
variants:
  - name: target-cpu-50
    policies:
      - targetTracking: {metric: cpu, target: 50, scaleOutDatapoints: 3, scaleInDatapoints: 15,
                         scaleInThresholdRatio: 0.9, scaleInMaxFraction: 0.1}
simulation: {tick: 1m, seed: 1}
YAML
(cd "$root" && swift build -c release --product capsim >/dev/null)
echo "== SimPy peer"
"$python" "$peers/asg_simpy.py" "$work/demand.csv" | tee "$work/peer.json"
echo "== capsim (release, whole process incl. YAML, CSV load and billing)"
start=$(date +%s.%N)
"$root/.build/release/capsim" run "$work/peer.yaml" --format json > "$work/capsim.json"
end=$(date +%s.%N)
python3 - "$work/peer.json" "$work/capsim.json" "$start" "$end" <<'PY'
import json, sys
peer = json.load(open(sys.argv[1])); ours = json.load(open(sys.argv[2]))["variants"][0]
wall = float(sys.argv[4]) - float(sys.argv[3])
rows = [("instance-hours", peer["instance_hours"], ours["instanceHours"]),
        ("cost USD", peer["cost_usd"], ours["costUSD"]),
        ("peak instances", peer["max_instances"], ours["peakInstances"]),
        ("scale-out actions", peer["scale_out_actions"], ours["scaleOutActions"]),
        ("scale-in actions", peer["scale_in_actions"], ours["scaleInActions"]),
        ("delayed units", peer["delayed_orders"], ours["delayedUnits"]),
        ("minutes CPU > 80%", peer["minutes_cpu_above_80"], ours["minutesAboveCPU80"]),
        ("wall seconds", peer["wall_seconds"], round(wall, 4))]
print(f"{'metric':20} {'SimPy peer':>14} {'capsim':>14} {'capsim/peer':>12}")
for name, p, o in rows:
    ratio = o / p if p else float('nan')
    print(f"{name:20} {p:>14} {o:>14} {ratio:>12.3f}")
print(f"speed: capsim whole run is {peer['wall_seconds'] / wall:.1f}x faster than the peer's simulation loop alone")
PY
rm -rf "$work"
