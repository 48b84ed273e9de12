#!/usr/bin/env python3
"""Synthetic hourly demand series with known faults, for the forecast accuracy table
(docs/forecasting.md). Deterministic (seeded); rewrites the CSVs beside this script.

  base      8 weeks of a food-delivery curve: lunch and dinner peaks, weekends x1.3,
            multiplicative noise sigma 0.05
  spikes    base + 8 one-off surges x4 for 2 hours each in the training weeks
  shift-up  base, level x1.4 from 10 days before the end (3 days before the holdout)
  shift-down base, level x0.7 from 10 days before the end
  short     the last 28 days of base only (a short history, like menu-search's)
The holdout is the last 7 days, free of spikes, so the truth there is the base curve
(times the shift)."""
import math, os, random
from datetime import datetime, timedelta

here = os.path.dirname(os.path.abspath(__file__))
start = datetime(2026, 1, 5)  # a Monday
hours = 56 * 24

def curve(t):
    hour = t % 24
    day = (t // 24) % 7
    shape = 0.15 + math.exp(-((hour - 12) / 1.5) ** 2) + 1.3 * math.exp(-((hour - 18.5) / 2) ** 2)
    return 300 * shape * (1.3 if day >= 5 else 1.0)

def write(name, values, first=0):
    with open(os.path.join(here, name + ".csv"), "w") as f:
        f.write("timestamp,value\n")
        for i, v in enumerate(values[first:], start=first):
            f.write("%s,%.3f\n" % ((start + timedelta(hours=i)).strftime("%Y-%m-%dT%H:%M:%SZ"), v))

rng = random.Random(11)
base = [curve(t) * math.exp(rng.gauss(0, 0.05)) for t in range(hours)]
spikes = list(base)
rng2 = random.Random(12)
for _ in range(8):
    at = rng2.randrange(24, hours - 8 * 24)
    for t in (at, at + 1):
        spikes[t] *= 4
shift_at = hours - 10 * 24
write("synthetic-spikes", spikes)
write("synthetic-shift-up", [v * (1.4 if t >= shift_at else 1) for t, v in enumerate(base)])
write("synthetic-shift-down", [v * (0.7 if t >= shift_at else 1) for t, v in enumerate(base)])
write("synthetic-short", base, first=hours - 28 * 24)
