"""Runs a capsim sweep's shards as Ray tasks, then `capsim merge`: the same bytes as
`capsim sweep SCENARIO` on one machine (docs/sweeps.md, "Ray").

usage: python capsim_ray.py --capsim BIN --shards N [--jobs J] [--address ADDR]
                            [--format csv|jsonl] [--output FILE] [--summary FILE] SCENARIO

Each shard i (1...N) is one Ray task that runs
    capsim sweep SCENARIO --shard i/N --jobs J --output PART
in a temporary directory of the node it lands on and returns the part's bytes through Ray's
object store, so nodes need no shared disk: only the capsim binary and the scenario (with
its data files) at the same paths. The driver writes the parts to a temporary directory and
runs `capsim merge` on them with --format, --output and --summary, which checks that every
shard is there exactly once, from the same scenario and capsim. A failed shard stops the
run with its command and stderr; Ray retries a task whose worker died (max_retries).

--address: an existing Ray cluster ("auto", or ray://HOST:10001); default: a local Ray
instance on this machine (ray.init()). Each task reserves J CPUs (num_cpus=J).
"""
import argparse
import os
import subprocess
import sys
import tempfile

import ray


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description="Run a capsim sweep's shards as Ray tasks, then capsim merge.")
    parser.add_argument("scenario", help="the scenario YAML with a sweep: block (same path on every node)")
    parser.add_argument("--capsim", required=True, help="the capsim binary (same path on every node)")
    parser.add_argument("--shards", type=int, required=True, help="number of shards, 1 to 100000")
    parser.add_argument("--jobs", type=int, default=1, help="threads per shard (capsim sweep --jobs) and CPUs per task; default 1")
    parser.add_argument("--address", default=None, help="Ray cluster address; default: a local instance")
    parser.add_argument("--format", choices=["csv", "jsonl"], default=None, help="row format of the merge (default csv)")
    parser.add_argument("--output", default=None, help="rows to this file (default stdout; the summary then goes to stdout)")
    parser.add_argument("--summary", default=None, help="summary to this file")
    args = parser.parse_args(argv)
    if not 1 <= args.shards <= 100_000:
        parser.error(f"--shards: expected 1 to 100000, found {args.shards}")
    if not 1 <= args.jobs <= 1024:
        parser.error(f"--jobs: expected 1 to 1024, found {args.jobs}")
    for label, path in (("--capsim", args.capsim), ("scenario", args.scenario)):
        if not os.path.isfile(path):
            parser.error(f"{label}: no file at '{path}'")
    args.capsim = os.path.abspath(args.capsim)
    args.scenario = os.path.abspath(args.scenario)
    return args


class ShardFailed(Exception):
    pass


@ray.remote(max_retries=2)
def run_shard(capsim, scenario, shard, shards, jobs):
    """One shard's part file, as bytes."""
    with tempfile.TemporaryDirectory(prefix="capsim-ray-") as directory:
        part = os.path.join(directory, f"part-{shard}")
        command = [capsim, "sweep", scenario, "--shard", f"{shard}/{shards}", "--jobs", str(jobs), "--output", part]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise ShardFailed(f"shard {shard}/{shards}: {' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")
        with open(part, "rb") as f:
            return f.read()


def main(argv):
    args = parse_arguments(argv)
    ray.init(address=args.address, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    try:
        tasks = [
            run_shard.options(num_cpus=args.jobs).remote(args.capsim, args.scenario, shard, args.shards, args.jobs)
            for shard in range(1, args.shards + 1)
        ]
        try:
            parts = ray.get(tasks)
        except ray.exceptions.RayTaskError as error:
            cause = error.cause if isinstance(getattr(error, "cause", None), ShardFailed) else error
            print(f"capsim_ray: error: {cause}", file=sys.stderr)
            return 1
    finally:
        ray.shutdown()
    with tempfile.TemporaryDirectory(prefix="capsim-ray-merge-") as directory:
        paths = []
        for shard, data in enumerate(parts, start=1):
            path = os.path.join(directory, f"part-{shard}")
            with open(path, "wb") as f:
                f.write(data)
            paths.append(path)
        command = [args.capsim, "merge", *paths]
        for flag, value in (("--format", args.format), ("--output", args.output), ("--summary", args.summary)):
            if value is not None:
                command += [flag, value]
        return subprocess.run(command).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
