"""Checks that DuckDB reads a capsim sweep table as it is: the CSV and the JSON Lines of the
same sweep, with `read_csv_auto` and `read_json_auto` and no options.

usage: check_sweep_duckdb.py POINTS.csv POINTS.jsonl EXPECTED_ROWS

Checks: the row count; the columns' inferred types (point and counts integers, cost and
percentages doubles, meets_* booleans); points 0..n-1 in order; and the same figures in
both files (costs summed, SLO counts).
"""
import sys

import duckdb

csv_path, jsonl_path, expected = sys.argv[1], sys.argv[2], int(sys.argv[3])
con = duckdb.connect()
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


for name, source in (("csv", f"read_csv_auto('{csv_path}')"), ("jsonl", f"read_json_auto('{jsonl_path}')")):
    types = dict(con.execute(f"select column_name, column_type from (describe select * from {source})").fetchall())
    check(types.get("point") in ("BIGINT", "INTEGER"), f"{name}: point is {types.get('point')}")
    check(types.get("peak_instances") in ("BIGINT", "INTEGER"), f"{name}: peak_instances is {types.get('peak_instances')}")
    for column in ("cost_usd", "billed_instance_hours", "delayed_percent", "minutes_above_cpu_80_per_day"):
        check(types.get(column) == "DOUBLE", f"{name}: {column} is {types.get(column)}")
    meets = [c for c in types if c.startswith("meets_")]
    check(meets and all(types[c] == "BOOLEAN" for c in meets), f"{name}: meets_* columns are {[types[c] for c in meets]}")
    count, first, last = con.execute(f"select count(*), min(point), max(point) from {source}").fetchone()
    check((count, first, last) == (expected, 0, expected - 1), f"{name}: {count} rows, points {first}..{last}")
    ordered = con.execute(f"select bool_and(point = rn - 1) from (select point, row_number() over () as rn from {source})").fetchone()[0]
    check(ordered, f"{name}: rows are not in point order")

csv_figures = con.execute(
    f"select sum(cost_usd), count(*) filter (where meets_delayed_0_1) from read_csv_auto('{csv_path}')").fetchone()
json_figures = con.execute(
    f"select sum(cost_usd), count(*) filter (where meets_delayed_0_1) from read_json_auto('{jsonl_path}')").fetchone()
check(csv_figures == json_figures, f"csv {csv_figures} != jsonl {json_figures}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"duckdb reads {csv_path} and {jsonl_path}: {expected} points, typed columns, same figures {csv_figures}")
