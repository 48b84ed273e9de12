#!/usr/bin/env python3
"""Writes commit-lp-mixed-<F>x<T>-seed<S>.json: usage where the Compute Savings Plan pays off
(families peak at different hours, RI discount close to the Savings Plans'), solved by
../shared/peers/commit_lp.py (HiGHS). Usage: make-mixed.py F T SEED PEERS_DIR"""
import json, subprocess, sys
import numpy as np
F, T, S, peers = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = np.random.default_rng(S)
t = np.arange(T)
fams = []
for i in range(F):
    phase = 24 * i / F
    daily = 1 + 0.9 * np.cos(2 * np.pi * (t % 24 - phase) / 24)
    u = 15 * (1 + 0.3 * i) * (0.2 + daily) * rng.lognormal(0, 0.15, T)
    od = [0.096, 0.17, 0.252, 0.085, 0.34][i % 5]
    fam = {"name": f"family{i}", "od_rate": od, "compute_sp_discount": 0.27 + 0.02 * i,
           "usage": [round(float(v), 3) for v in u]}
    if i % 2 == 0: fam["ri_rate"] = round(od * 0.70, 5)
    if i % 3 == 0: fam["ec2_sp_discount"] = 0.31
    fams.append(fam)
doc = {"families": fams}
path = f"commit-lp-mixed-{F}x{T}-seed{S}.json"
json.dump(doc, open(path, "w"))
out = json.loads(subprocess.check_output([sys.executable, f"{peers}/commit_lp.py", path]))
doc["highs"] = out
doc["source"] = f"make-mixed.py {F} {T} {S}; optimum by ../shared/peers/commit_lp.py (HiGHS via scipy 1.17.1)"
json.dump(doc, open(path, "w"))
print(path, out["total_cost_usd"], out["ri_units"], out["ec2_sp_commitment_usd_per_hour"], out["compute_sp_commitment_usd_per_hour"], out["solve_seconds"])
