#!/usr/bin/env bash
# Runs capsim's commitment optimizer beside the HiGHS LP peer (../shared/peers/commit_lp.py)
# on the same generated usage, in the same session, and prints cost agreement and speed.
# Usage: Benchmarks/peers/compare-commit-lp.sh PEERS_DIR [PYTHON] [SEEDS]
#   PEERS_DIR  folder with commit_lp.py (shared/peers); PYTHON needs numpy and scipy
#   SEEDS      e.g. "1 2 3" (default)
# Inputs: commit_lp.py --generate F H (RIs beat both Savings Plans there) and
# Tests/AdvisorTests/Fixtures/make-mixed.py F H (families peak at different hours, so the
# Compute Savings Plan and EC2 Instance SPs are bought too), F in 1 3 5, H in 720 8760.
set -euo pipefail
peers=$(cd "${1:?PEERS_DIR}" && pwd); python=${2:-python3}; seeds=${3:-1 2 3}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
(cd "$root/Benchmarks" && swift build -c release --product commit-lp-solve >/dev/null)
solver="$root/Benchmarks/.build/release/commit-lp-solve"
printf '%-8s %3s %5s %4s %16s %16s %10s %9s %9s %7s\n' input F hours seed HiGHS_USD capsim_USD rel_diff HiGHS_s capsim_s speedup
for kind in generate mixed; do
  for f in 1 3 5; do
    for h in 720 8760; do
      for s in $seeds; do
        in="$work/$kind-$f-$h-$s.json"
        if [ "$kind" = generate ]; then
          "$python" "$peers/commit_lp.py" --generate "$f" "$h" --seed "$s" > "$in"
        else
          (cd "$work" && "$python" "$root/Tests/AdvisorTests/Fixtures/make-mixed.py" "$f" "$h" "$s" "$peers" >/dev/null)
          mv "$work/commit-lp-mixed-${f}x${h}-seed${s}.json" "$in"
        fi
        "$python" "$peers/commit_lp.py" "$in" > "$work/highs.json"
        "$solver" "$in" > "$work/capsim.json"
        "$python" - "$kind" "$f" "$h" "$s" "$work/highs.json" "$work/capsim.json" <<'PY'
import json, sys
kind, f, h, s = sys.argv[1:5]
hi = json.load(open(sys.argv[5])); us = json.load(open(sys.argv[6]))
a, b = hi["total_cost_usd"], us["total_cost_usd"]
print(f'{kind:<8} {f:>3} {h:>5} {s:>4} {a:>16.4f} {b:>16.4f} {(b - a) / a:>10.2e} {hi["solve_seconds"]:>9.3f} {us["solve_seconds"]:>9.4f} {hi["solve_seconds"] / max(us["solve_seconds"], 1e-9):>7.1f}')
PY
      done
    done
  done
done
