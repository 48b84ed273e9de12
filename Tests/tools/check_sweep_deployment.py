"""Checks the documents `capsim sweep FILE --emit k8s|batch|stepfunctions` writes: that the
engines' own validators accept them, and that the scripts in them, run as the engine would
run them, give the bytes of the unsharded sweep.

usage: check_sweep_deployment.py --capsim BIN --expected-rows ROWS --expected-summary SUMMARY
           [--k8s FILE.yaml] [--batch FILE.json] [--stepfunctions FILE.json]

Validation (each skipped with a printed notice when its tool is missing):
- Kubernetes: `kubernetes-validate --strict` (every object against the API's schemas);
- AWS Batch: botocore's `validate_parameters` against the batch service model's input
  shapes of RegisterJobDefinition and SubmitJob (both the array job and the merge job);
- Step Functions: `statelint` (PyPI) on the state machine, and the job definition as above.

Execution, with /bin/sh as the containers run it (the image's `sh`), capsim from --capsim on
PATH, and the engine's paths moved under a temporary directory:
- Kubernetes: the ConfigMap is written out through the volume's `items` (key -> path) as the
  kubelet mounts it; shard k runs with JOB_COMPLETION_INDEX=k; then the merge Job's script;
- AWS Batch: child k runs with AWS_BATCH_JOB_ARRAY_INDEX=k (none for a plain job), with an
  `aws s3 cp` stand-in that maps s3://BUCKET/KEY to a directory; then the merge job's command;
- Step Functions: each item of the Pass state's shard list runs the job definition's command
  with CAPSIM_SHARD set as the Map's child sets it; then the Merge state's command.
The merged rows and summary must equal --expected-rows and --expected-summary byte for byte.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

FAKE_AWS = r'''#!PYTHON
"""`aws s3 cp [--only-show-errors] [--recursive --exclude P --include P] SRC DST` on a directory."""
import fnmatch, os, shutil, sys
root = os.environ["FAKE_S3_ROOT"]
args = sys.argv[1:]
assert args[:2] == ["s3", "cp"], args
args = args[2:]
recursive, filters, paths = False, [], []
i = 0
while i < len(args):
    a = args[i]
    if a == "--only-show-errors": pass
    elif a == "--recursive": recursive = True
    elif a in ("--exclude", "--include"): filters.append((a, args[i + 1])); i += 1
    elif a.startswith("--"): sys.exit("fake aws: unknown option " + a)
    else: paths.append(a)
    i += 1
src, dst = paths
local = lambda p: os.path.join(root, p[len("s3://"):]) if p.startswith("s3://") else p
if recursive:
    base = local(src)
    for dirpath, _, names in os.walk(base):
        for name in names:
            rel = os.path.relpath(os.path.join(dirpath, name), base)
            keep = True
            for kind, pattern in filters:
                if fnmatch.fnmatchcase(rel, pattern): keep = kind == "--include"
            if keep:
                os.makedirs(os.path.dirname(os.path.join(local(dst), rel)), exist_ok=True)
                shutil.copyfile(os.path.join(dirpath, name), os.path.join(local(dst), rel))
else:
    os.makedirs(os.path.dirname(local(dst)) or ".", exist_ok=True)
    shutil.copyfile(local(src), local(dst))
'''

failures = []
notices = []


def check(condition, message):
    if not condition:
        failures.append(message)


def tool(name):
    path = os.path.join(os.path.dirname(sys.executable), name)
    return path if os.path.exists(path) else shutil.which(name)


def run_script(script, env, replacements, what):
    for old, new in replacements:
        script = script.replace(old, new)
    result = subprocess.run(["/bin/sh", "-c", script], env=env, capture_output=True, text=True)
    check(result.returncode == 0, f"{what}: exit {result.returncode}: {result.stderr.strip()}")
    return result.returncode == 0


def compare(rows_path, summary_path, args, what):
    for produced, expected in ((rows_path, args.expected_rows), (summary_path, args.expected_summary)):
        if not os.path.exists(produced):
            failures.append(f"{what}: {produced} was not written")
            continue
        with open(produced, "rb") as a, open(expected, "rb") as b:
            check(a.read() == b.read(), f"{what}: {os.path.basename(produced)} differs from {expected}")


def sandbox(args, root):
    bin_dir = os.path.join(root, "bin")
    os.makedirs(bin_dir, exist_ok=True)
    os.symlink(os.path.abspath(args.capsim), os.path.join(bin_dir, "capsim"))
    with open(os.path.join(bin_dir, "aws"), "w") as f:
        f.write(FAKE_AWS.replace("PYTHON", sys.executable, 1))
    os.chmod(os.path.join(bin_dir, "aws"), 0o755)
    env = {"PATH": bin_dir + ":/usr/bin:/bin", "FAKE_S3_ROOT": os.path.join(root, "s3")}
    return env


def botocore_validate(service, operation, params, what):
    try:
        import botocore.session
        from botocore.validate import validate_parameters
    except ImportError:
        notices.append(f"{what}: botocore is not installed, not validated")
        return
    model = botocore.session.get_session().get_service_model(service)
    try:
        validate_parameters(params, model.operation_model(operation).input_shape)
    except Exception as error:  # ParamValidationError lists every problem
        failures.append(f"{what}: botocore {service} {operation}: {error}")


def check_k8s(path, args):
    validator = tool("kubernetes-validate")
    if validator:
        result = subprocess.run([validator, "--strict", "--quiet", path], capture_output=True, text=True)
        check(result.returncode == 0, f"{path}: kubernetes-validate: {result.stdout}{result.stderr}")
    else:
        notices.append(f"{path}: kubernetes-validate is not installed, not validated")
    import yaml

    with open(path) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    kinds = [(d["kind"], d["metadata"]["name"]) for d in docs]
    jobs = [d for d in docs if d["kind"] == "Job"]
    check(len(jobs) == 2, f"{path}: expected the sweep Job and the merge Job, found {kinds}")
    sweep, merge = jobs
    spec = sweep["spec"]
    check(spec["completionMode"] == "Indexed", f"{path}: the sweep Job is not Indexed")
    check(merge["spec"].get("suspend") is True, f"{path}: the merge Job is not created suspended")
    root = tempfile.mkdtemp(prefix="capsim-emit-k8s-")
    env = sandbox(args, root)
    scenario_dir, parts_dir = os.path.join(root, "scenario"), os.path.join(root, "parts")
    config_maps = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ConfigMap"}
    for volume in spec["template"]["spec"]["volumes"]:
        if "configMap" in volume:
            data = config_maps[volume["configMap"]["name"]].get("data", {})
            for item in volume["configMap"]["items"]:
                target = os.path.join(scenario_dir, item["path"])
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w") as f:
                    f.write(data[item["key"]])
    replacements = [("'/scenario/", f"'{scenario_dir}/"), ("'/parts/", f"'{parts_dir}/")]
    for index in range(spec["completions"]):
        script = sweep["spec"]["template"]["spec"]["containers"][0]["command"][2]
        run_script(script, dict(env, JOB_COMPLETION_INDEX=str(index)), replacements, f"{path}: shard index {index}")
    script = merge["spec"]["template"]["spec"]["containers"][0]["command"][2]
    if run_script(script, env, replacements, f"{path}: merge"):
        out = os.path.join(parts_dir, sweep["metadata"]["name"])
        rows = [n for n in os.listdir(out) if n.startswith("points.")]
        compare(os.path.join(out, rows[0] if rows else "points.csv"), os.path.join(out, "summary.txt"), args, f"{path} (run)")
    shutil.rmtree(root)


def batch_replacements(root):
    # /tmp/ first: the working directory may itself be under /tmp (a CI clone), and must
    # not be moved into the sandbox once it replaces /opt/capsim.
    return [("/tmp/", f"{root}/tmp/"), ("'/opt/capsim/", f"'{os.getcwd()}/")]


def run_batch_like(path, definition, shard_envs, merge_command, args, what):
    root = tempfile.mkdtemp(prefix="capsim-emit-batch-")
    os.makedirs(os.path.join(root, "tmp"))
    env = sandbox(args, root)
    replacements = batch_replacements(root)
    command = definition["containerProperties"]["command"]
    check(command[:2] == ["/bin/sh", "-c"], f"{what}: the command is not /bin/sh -c SCRIPT")
    for shard_env in shard_envs:
        run_script(command[2], dict(env, **shard_env), replacements, f"{what}: shard {shard_env}")
    if run_script(merge_command[2], env, replacements, f"{what}: merge"):
        produced = os.listdir(os.path.join(root, "tmp"))
        rows = [n for n in produced if n.startswith("points.")]
        compare(os.path.join(root, "tmp", rows[0] if rows else "points.csv"), os.path.join(root, "tmp", "summary.txt"), args, what)
        uploaded = [os.path.join(dp, n) for dp, _, ns in os.walk(os.path.join(root, "s3")) for n in ns]
        check(any(p.endswith("/summary.txt") for p in uploaded), f"{what}: the summary was not copied to S3")
    shutil.rmtree(root)


def check_batch(path, args):
    with open(path) as f:
        doc = json.load(f)
    botocore_validate("batch", "RegisterJobDefinition", doc["registerJobDefinition"], f"{path} registerJobDefinition")
    botocore_validate("batch", "SubmitJob", doc["submitJob"], f"{path} submitJob")
    botocore_validate("batch", "SubmitJob", doc["submitMergeJob"], f"{path} submitMergeJob")
    merge = doc["submitMergeJob"]
    check(merge.get("dependsOn") == [{"jobId": "ARRAY_JOB_ID"}], f"{path}: the merge job does not depend on the array job")
    size = doc["submitJob"].get("arrayProperties", {}).get("size")
    envs = [{"AWS_BATCH_JOB_ARRAY_INDEX": str(k)} for k in range(int(size))] if size else [{}]
    run_batch_like(path, doc["registerJobDefinition"], envs, merge["containerOverrides"]["command"], args, f"{path} (run)")


def check_stepfunctions(path, args):
    with open(path) as f:
        doc = json.load(f)
    botocore_validate("batch", "RegisterJobDefinition", doc["registerJobDefinition"], f"{path} registerJobDefinition")
    machine = doc["stateMachineDefinition"]
    linter = tool("statelint")
    if linter:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(machine, f)
        result = subprocess.run([linter, f.name], capture_output=True, text=True)
        check(result.returncode == 0, f"{path}: statelint: {result.stdout}{result.stderr}")
        os.unlink(f.name)
    else:
        notices.append(f"{path}: statelint is not installed, not linted")
    botocore_validate(
        "stepfunctions", "CreateStateMachine",
        {"name": "capsim-check", "roleArn": "arn:aws:iam::123456789012:role/check", "definition": json.dumps(machine)},
        f"{path} CreateStateMachine")
    states = machine["States"]
    map_state = states["RunShards"]
    check(map_state["ItemProcessor"]["ProcessorConfig"]["Mode"] == "DISTRIBUTED", f"{path}: the Map is not DISTRIBUTED")
    task = map_state["ItemProcessor"]["States"]["RunShard"]
    check(task["Resource"] == "arn:aws:states:::batch:submitJob.sync", f"{path}: a shard is not a .sync Batch job")
    check(map_state["Next"] == "Merge" and states["Merge"]["Resource"] == task["Resource"], f"{path}: no merge after the Map")
    environment = task["Parameters"]["ContainerOverrides"]["Environment"]
    check(environment == [{"Name": "CAPSIM_SHARD", "Value.$": "$.shard"}], f"{path}: the shard's environment is {environment}")
    check(map_state["ItemSelector"] == {"shard.$": "$$.Map.Item.Value"}, f"{path}: the item selector is {map_state['ItemSelector']}")
    envs = [{"CAPSIM_SHARD": item} for item in states["Shards"]["Result"]]
    merge_command = states["Merge"]["Parameters"]["ContainerOverrides"]["Command"]
    run_batch_like(path, doc["registerJobDefinition"], envs, merge_command, args, f"{path} (run)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--capsim", required=True)
    parser.add_argument("--expected-rows", required=True)
    parser.add_argument("--expected-summary", required=True)
    parser.add_argument("--k8s", action="append", default=[])
    parser.add_argument("--batch", action="append", default=[])
    parser.add_argument("--stepfunctions", action="append", default=[])
    args = parser.parse_args()
    for path in args.k8s:
        check_k8s(path, args)
    for path in args.batch:
        check_batch(path, args)
    for path in args.stepfunctions:
        check_stepfunctions(path, args)
    for notice in notices:
        print("notice:", notice)
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"sweep deployment documents: {len(args.k8s)} Kubernetes, {len(args.batch)} Batch, "
          f"{len(args.stepfunctions)} Step Functions: valid, and their scripts give the single run's bytes")


main()
