#!/usr/bin/env python3
"""Checks AWS CLI JSON documents against botocore's output shapes.

    check_botocore_shapes.py [--allow-unknown KEY ...] FILE_OR_DIRECTORY ...

Each document is matched to the operation whose output it is by its top-level key:

    AutoScalingGroups            autoscaling DescribeAutoScalingGroups
    ScalingPolicies              autoscaling DescribePolicies
    ScheduledUpdateGroupActions  autoscaling DescribeScheduledActions
    WarmPoolConfiguration        autoscaling DescribeWarmPool (also a bare "Instances")
    MetricAlarms                 cloudwatch  DescribeAlarms
    MetricDataResults            cloudwatch  GetMetricData
    Datapoints                   cloudwatch  GetMetricStatistics

and then checked recursively against botocore's service model, as the AWS CLI prints it:
every key is a member of its structure (or named by --allow-unknown: fixtures that test
how unknown keys are reported), every required member is there, strings are strings (and
in the enum, when the shape has one), integers are integers, doubles are numbers, booleans
are booleans, timestamps are ISO 8601 strings, lists are lists, maps are objects. A
directory is searched for *.json files. Exit status 1 with one line per problem
(FILE: JSON.PATH: what was expected, what was found), 0 when every document conforms.
"""
import argparse
import datetime
import json
import pathlib
import sys

import botocore.session

OPERATIONS = [
    ("AutoScalingGroups", "autoscaling", "DescribeAutoScalingGroups"),
    ("ScalingPolicies", "autoscaling", "DescribePolicies"),
    ("ScheduledUpdateGroupActions", "autoscaling", "DescribeScheduledActions"),
    ("WarmPoolConfiguration", "autoscaling", "DescribeWarmPool"),
    ("MetricAlarms", "cloudwatch", "DescribeAlarms"),
    ("MetricDataResults", "cloudwatch", "GetMetricData"),
    ("Datapoints", "cloudwatch", "GetMetricStatistics"),
    ("Instances", "autoscaling", "DescribeWarmPool"),
]


def describe(value):
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f'the string "{value[:40]}"'
    if isinstance(value, list):
        return f"an array of {len(value)}"
    if isinstance(value, dict):
        return "an object"
    return "null"


def is_timestamp(text):
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def check(value, shape, path, problems, allowed_unknown):
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({shape.name}), found {describe(value)}")
            return
        for key, member in value.items():
            if key not in shape.members:
                if key not in allowed_unknown:
                    problems.append(f"{path}.{key}: not a member of {shape.name}")
                continue
            check(member, shape.members[key], f"{path}.{key}", problems, allowed_unknown)
        for key in shape.required_members:
            if key not in value:
                problems.append(f"{path}: required member {key} of {shape.name} is missing")
    elif kind == "list":
        if not isinstance(value, list):
            problems.append(f"{path}: expected an array ({shape.name}), found {describe(value)}")
            return
        for index, item in enumerate(value):
            check(item, shape.member, f"{path}[{index}]", problems, allowed_unknown)
    elif kind == "map":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({shape.name}), found {describe(value)}")
            return
        for key, item in value.items():
            check(key, shape.key, f"{path}<key {key}>", problems, allowed_unknown)
            check(item, shape.value, f"{path}.{key}", problems, allowed_unknown)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{path}: expected a string ({shape.name}), found {describe(value)}")
        elif shape.enum and value not in shape.enum:
            problems.append(f"{path}: expected one of {', '.join(shape.enum)} ({shape.name}), found {describe(value)}")
    elif kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{path}: expected an integer ({shape.name}), found {describe(value)}")
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(f"{path}: expected a number ({shape.name}), found {describe(value)}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{path}: expected true or false ({shape.name}), found {describe(value)}")
    elif kind == "timestamp":
        if not isinstance(value, str) or not is_timestamp(value):
            problems.append(f"{path}: expected an ISO 8601 timestamp string ({shape.name}), found {describe(value)}")
    elif kind == "blob":
        if not isinstance(value, str):
            problems.append(f"{path}: expected a base64 string ({shape.name}), found {describe(value)}")
    else:
        problems.append(f"{path}: shape type {kind} of {shape.name} is not handled by this checker")


def check_file(path, session, allowed_unknown):
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return [f"not readable JSON: {error}"]
    if not isinstance(document, dict):
        return [f"expected a JSON object, found {describe(document)}"]
    for key, service, operation in OPERATIONS:
        if key in document:
            shape = session.get_service_model(service).operation_model(operation).output_shape
            problems = []
            check(document, shape, "$", problems, allowed_unknown)
            return [f"{service} {operation}: {p}" for p in problems]
    return ["matches no known describe-* / get-metric-* output: keys " + ", ".join(document)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--allow-unknown", action="append", default=[], metavar="KEY")
    parser.add_argument("paths", nargs="+")
    arguments = parser.parse_args()
    session = botocore.session.get_session()
    files = []
    for name in arguments.paths:
        path = pathlib.Path(name)
        found = sorted(path.rglob("*.json")) if path.is_dir() else [path]
        if not found:
            print(f"{name}: no JSON documents in this directory (was it written?)", file=sys.stderr)
            return 1
        files += found
    failed = 0
    for path in files:
        problems = check_file(path, session, set(arguments.allow_unknown))
        for problem in problems:
            print(f"{path}: {problem}")
        failed += bool(problems)
    verdict = "every one conforms" if not failed else f"{failed} do not conform"
    print(f"botocore shapes: {len(files)} documents checked, {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
