#!/usr/bin/env python3
"""Writes the AWS CLI documents of the food-delivery import example (this folder).

    python3 scenarios/import/food-delivery/make_documents.py

Deterministic (a fixed seed, the standard library only); the outputs are committed, and
CI checks them against botocore's output shapes (Tests/tools/check_botocore_shapes.py).

Two groups of a Seoul food-delivery service, in ap-northeast-2:
- orders-api: mixed instances (m5.large, m5a.large, m6i.large), 4 On-Demand then 30%
  On-Demand above that (the rest Spot, price-capacity-optimized), target tracking on CPU,
  step scaling on a request-count alarm, predictive scaling, and lunch and dinner floors as
  scheduled actions in Asia/Seoul.
- dispatch: one type (m5.large) On-Demand, target tracking on request count per target,
  and a warm pool (AWS allows none with a mixed instances policy or Spot, hence two groups).

Demand (demand.json, get-metric-data, 30-minute Sums of the target groups' RequestCount):
the real NYC taxi passenger counts of scenarios/data/nyc_taxi.csv (Numenta NAB), four
weeks from Monday 2014-10-06, their wall-clock times read as Seoul time so the daily
cycle lands on Seoul's hours; orders-api gets 6 requests per passenger, dispatch 1.5.

Capacity metrics for orders-api (cpu.json, request-count.json, instances.json), for
`capsim import --cpu --requests --instances`: synthetic, from a known truth so the
estimate can be judged. In-service instances follow the previous period's requests at
200 per instance per minute (between 4 and 60); CPU = 2% idle + 98% x (requests per
instance per minute) / 400, plus normal noise of 1.5 points, plus a 25-point deploy spike
at 03:00 every day. The truth: 400 requests per instance per minute at 100% CPU.
"""
import csv
import datetime
import json
import math
import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEOUL = datetime.timezone(datetime.timedelta(hours=9))
START_LOCAL = datetime.datetime(2014, 10, 6)
DAYS = 28
PERIOD = 1800
ACCOUNT = "123456789012"
REGION = "ap-northeast-2"
TRUE_UNITS_PER_MINUTE = 400


def iso(moment):
    return moment.astimezone(datetime.timezone.utc).isoformat()


def write(name, document):
    (HERE / name).write_text(json.dumps(document, indent=4, ensure_ascii=False) + "\n", encoding="utf-8")


def passengers():
    end = START_LOCAL + datetime.timedelta(days=DAYS)
    rows = []
    with open(ROOT / "scenarios/data/nyc_taxi.csv", newline="") as handle:
        for row in csv.DictReader(handle):
            local = datetime.datetime.strptime(row["timestamp"], "%Y-%m-%d %H:%M:%S")
            if START_LOCAL <= local < end:
                rows.append((local.replace(tzinfo=SEOUL), float(row["value"])))
    assert len(rows) == DAYS * 48, len(rows)
    return rows


def metric_result(identifier, label, points, digits=0):
    # get-metric-data prints newest first (ScanBy TimestampDescending, the default).
    newest_first = list(reversed(points))
    return {
        "Id": identifier,
        "Label": label,
        "Timestamps": [iso(moment) for moment, _ in newest_first],
        "Values": [round(value, digits) if digits else int(round(value)) for _, value in newest_first],
        "StatusCode": "Complete",
    }


def demand_documents(rows):
    orders = [(moment, value * 6) for moment, value in rows]
    dispatch = [(moment, value * 1.5) for moment, value in rows]
    write("demand.json", {
        "MetricDataResults": [metric_result("orders_api", "orders-api", orders), metric_result("dispatch", "dispatch", dispatch)],
        "Messages": [],
    })
    write("request-count.json", {"MetricDataResults": [metric_result("requests", "RequestCount", orders)], "Messages": []})
    generator = random.Random(20261202)
    instances, cpu = [], []
    previous_per_minute = orders[0][1] / 30
    for moment, total in orders:
        per_minute = total / 30
        count = min(60, max(4, math.ceil(previous_per_minute / 200)))
        per_instance = per_minute / count
        value = 2 + 98 * per_instance / TRUE_UNITS_PER_MINUTE + generator.gauss(0, 1.5)
        if moment.hour == 3 and moment.minute == 0:
            value += 25
        instances.append((moment, count))
        cpu.append((moment, min(100, max(0, value))))
        previous_per_minute = per_minute
    write("instances.json", {"MetricDataResults": [metric_result("inservice", "GroupInServiceInstances", instances, 1)], "Messages": []})
    write("cpu.json", {"MetricDataResults": [metric_result("cpu", "CPUUtilization", cpu, 2)], "Messages": []})


def group_arn(name, uuid):
    return f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:autoScalingGroup:{uuid}:autoScalingGroupName/{name}"


def instance(number, instance_type, zone, state="InService", template="orders-api"):
    return {
        "InstanceId": f"i-0{number:016x}",
        "InstanceType": instance_type,
        "AvailabilityZone": zone,
        "LifecycleState": state,
        "HealthStatus": "Healthy",
        "LaunchTemplate": {"LaunchTemplateId": "lt-0f1e2d3c4b5a69788" if template == "orders-api" else "lt-0a9b8c7d6e5f43210",
                           "LaunchTemplateName": template, "Version": "7" if template == "orders-api" else "3"},
        "ProtectedFromScaleIn": False,
    }


def tags(group, team):
    return [
        {"ResourceId": group, "ResourceType": "auto-scaling-group", "Key": key, "Value": value, "PropagateAtLaunch": True}
        for key, value in (("service", group), ("team", team), ("cost-center", "delivery-platform"))
    ]


def groups_document():
    zones = [f"{REGION}a", f"{REGION}c"]
    orders_types = ["m5.large"] * 7 + ["m5a.large"] * 3 + ["m6i.large"] * 2
    orders = {
        "AutoScalingGroupName": "orders-api",
        "AutoScalingGroupARN": group_arn("orders-api", "7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"),
        "MixedInstancesPolicy": {
            "LaunchTemplate": {
                "LaunchTemplateSpecification": {"LaunchTemplateId": "lt-0f1e2d3c4b5a69788", "LaunchTemplateName": "orders-api", "Version": "$Latest"},
                "Overrides": [{"InstanceType": t} for t in ("m5.large", "m5a.large", "m6i.large")],
            },
            "InstancesDistribution": {
                "OnDemandAllocationStrategy": "prioritized",
                "OnDemandBaseCapacity": 4,
                "OnDemandPercentageAboveBaseCapacity": 30,
                "SpotAllocationStrategy": "price-capacity-optimized",
            },
        },
        "MinSize": 4,
        "MaxSize": 60,
        "DesiredCapacity": 12,
        "DefaultCooldown": 300,
        "AvailabilityZones": zones,
        "LoadBalancerNames": [],
        "TargetGroupARNs": [f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/orders-api/5d2c8e0f1a3b4c6d"],
        "HealthCheckType": "ELB",
        "HealthCheckGracePeriod": 120,
        "Instances": [instance(0x3a1 + i, t, zones[i % 2]) for i, t in enumerate(orders_types)],
        "CreatedTime": "2024-03-18T05:41:12.093000+00:00",
        "SuspendedProcesses": [],
        "VPCZoneIdentifier": "subnet-0aa11bb22cc33dd44,subnet-0ee55ff66aa77bb88",
        "EnabledMetrics": [{"Metric": "GroupInServiceInstances", "Granularity": "1Minute"}],
        "Tags": tags("orders-api", "orders"),
        "TerminationPolicies": ["Default"],
        "NewInstancesProtectedFromScaleIn": False,
        "ServiceLinkedRoleARN": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        "CapacityRebalance": True,
        "DefaultInstanceWarmup": 180,
        "TrafficSources": [{"Identifier": f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/orders-api/5d2c8e0f1a3b4c6d", "Type": "elbv2"}],
    }
    dispatch = {
        "AutoScalingGroupName": "dispatch",
        "AutoScalingGroupARN": group_arn("dispatch", "0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"),
        "LaunchTemplate": {"LaunchTemplateId": "lt-0a9b8c7d6e5f43210", "LaunchTemplateName": "dispatch", "Version": "$Default"},
        "MinSize": 2,
        "MaxSize": 20,
        "DesiredCapacity": 3,
        "DefaultCooldown": 300,
        "AvailabilityZones": [f"{REGION}a"],
        "LoadBalancerNames": [],
        "TargetGroupARNs": [f"arn:aws:elasticloadbalancing:{REGION}:{ACCOUNT}:targetgroup/dispatch/8e7f6a5b4c3d2e1f"],
        "HealthCheckType": "EC2",
        "HealthCheckGracePeriod": 300,
        "Instances": [instance(0x7b0 + i, "m5.large", f"{REGION}a", template="dispatch") for i in range(3)],
        "CreatedTime": "2024-05-02T01:12:40.511000+00:00",
        "SuspendedProcesses": [],
        "VPCZoneIdentifier": "subnet-0aa11bb22cc33dd44",
        "EnabledMetrics": [],
        "Tags": tags("dispatch", "logistics"),
        "TerminationPolicies": ["Default"],
        "NewInstancesProtectedFromScaleIn": False,
        "ServiceLinkedRoleARN": f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        "WarmPoolConfiguration": {"MinSize": 2, "MaxGroupPreparedCapacity": 8, "PoolState": "Stopped", "InstanceReusePolicy": {"ReuseOnScaleIn": True}},
        "WarmPoolSize": 5,
        "CapacityRebalance": False,
        "DefaultInstanceWarmup": 120,
    }
    write("groups.json", {"AutoScalingGroups": [orders, dispatch]})


def policy_arn(group, name, uuid):
    return f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scalingPolicy:{uuid}:autoScalingGroupName/{group}:policyName/{name}"


def alarm_arn(name):
    return f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{name}"


def policies_and_alarms():
    cpu_arn = policy_arn("orders-api", "cpu-50", "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b")
    surge_arn = policy_arn("orders-api", "requests-surge", "2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c6d")
    tt_high = "TargetTracking-orders-api-AlarmHigh-3f9a1c2e-7b6d-4e5f-8a9b-0c1d2e3f4a5b"
    tt_low = "TargetTracking-orders-api-AlarmLow-8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d"
    policies = [
        {
            "AutoScalingGroupName": "orders-api", "PolicyName": "cpu-50", "PolicyARN": cpu_arn, "PolicyType": "TargetTrackingScaling",
            "StepAdjustments": [], "Alarms": [{"AlarmName": n, "AlarmARN": alarm_arn(n)} for n in (tt_high, tt_low)],
            "TargetTrackingConfiguration": {"PredefinedMetricSpecification": {"PredefinedMetricType": "ASGAverageCPUUtilization"},
                                            "TargetValue": 50.0, "DisableScaleIn": False},
            "Enabled": True,
        },
        {
            "AutoScalingGroupName": "orders-api", "PolicyName": "requests-surge", "PolicyARN": surge_arn, "PolicyType": "StepScaling",
            "AdjustmentType": "ChangeInCapacity", "MetricAggregationType": "Average", "EstimatedInstanceWarmup": 180,
            "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 200.0, "ScalingAdjustment": 2},
                                {"MetricIntervalLowerBound": 200.0, "ScalingAdjustment": 5}],
            "Alarms": [{"AlarmName": "orders-api-requests-surge", "AlarmARN": alarm_arn("orders-api-requests-surge")}],
            "Enabled": True,
        },
        {
            "AutoScalingGroupName": "orders-api", "PolicyName": "forecast-cpu-50",
            "PolicyARN": policy_arn("orders-api", "forecast-cpu-50", "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e"),
            "PolicyType": "PredictiveScaling", "StepAdjustments": [], "Alarms": [],
            "PredictiveScalingConfiguration": {
                "MetricSpecifications": [{"TargetValue": 50.0, "PredefinedMetricPairSpecification": {"PredefinedMetricType": "ASGCPUUtilization"}}],
                "Mode": "ForecastAndScale", "SchedulingBufferTime": 300, "MaxCapacityBreachBehavior": "HonorMaxCapacity",
            },
            "Enabled": True,
        },
        {
            "AutoScalingGroupName": "dispatch", "PolicyName": "requests-300",
            "PolicyARN": policy_arn("dispatch", "requests-300", "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"),
            "PolicyType": "TargetTrackingScaling", "StepAdjustments": [], "Alarms": [],
            "TargetTrackingConfiguration": {
                "PredefinedMetricSpecification": {"PredefinedMetricType": "ALBRequestCountPerTarget",
                                                  "ResourceLabel": "app/delivery/50dc6c495c0c9188/targetgroup/dispatch/8e7f6a5b4c3d2e1f"},
                "TargetValue": 300.0, "DisableScaleIn": False},
            "Enabled": True,
        },
    ]
    write("policies.json", {"ScalingPolicies": policies})

    def alarm(name, description, metric, namespace, statistic, dimensions, period, evaluations, datapoints, threshold, comparison, actions):
        return {
            "AlarmName": name, "AlarmArn": alarm_arn(name), "AlarmDescription": description,
            "AlarmConfigurationUpdatedTimestamp": "2026-10-14T02:03:51.224000+00:00", "ActionsEnabled": True,
            "OKActions": [], "AlarmActions": actions, "InsufficientDataActions": [], "StateValue": "OK",
            "StateReason": "Threshold Crossed: 2 datapoints were not greater than the threshold.",
            "StateUpdatedTimestamp": "2026-12-01T13:10:02.871000+00:00",
            "MetricName": metric, "Namespace": namespace, "Statistic": statistic,
            "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions],
            "Period": period, "EvaluationPeriods": evaluations, "DatapointsToAlarm": datapoints, "Threshold": threshold,
            "ComparisonOperator": comparison, "TreatMissingData": "missing",
            "StateTransitionedTimestamp": "2026-12-01T13:10:02.871000+00:00",
        }

    asg = [("AutoScalingGroupName", "orders-api")]
    alarms = [
        alarm("orders-api-requests-surge", "Requests per target above 600 a minute for 2 minutes",
              "RequestCountPerTarget", "AWS/ApplicationELB", "Sum", [("TargetGroup", "targetgroup/orders-api/5d2c8e0f1a3b4c6d")],
              60, 2, 2, 600.0, "GreaterThanThreshold", [surge_arn]),
        alarm(tt_high, "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy " + cpu_arn + ".",
              "CPUUtilization", "AWS/EC2", "Average", asg, 60, 3, 3, 50.0, "GreaterThanThreshold", [cpu_arn]),
        alarm(tt_low, "DO NOT EDIT OR DELETE. For TargetTrackingScaling policy " + cpu_arn + ".",
              "CPUUtilization", "AWS/EC2", "Average", asg, 60, 15, 15, 45.0, "LessThanThreshold", [cpu_arn]),
    ]
    write("alarms.json", {"MetricAlarms": alarms, "CompositeAlarms": []})


def scheduled_actions():
    def action(name, uuid, recurrence, minimum, start):
        return {
            "AutoScalingGroupName": "orders-api", "ScheduledActionName": name,
            "ScheduledActionARN": f"arn:aws:autoscaling:{REGION}:{ACCOUNT}:scheduledUpdateGroupAction:{uuid}:autoScalingGroupName/orders-api:scheduledActionName/{name}",
            "Time": start, "StartTime": start, "Recurrence": recurrence, "MinSize": minimum, "MaxSize": 60, "TimeZone": "Asia/Seoul",
        }

    write("scheduled-actions.json", {"ScheduledUpdateGroupActions": [
        action("lunch-floor", "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b", "30 10 * * *", 16, "2026-12-03T01:30:00+00:00"),
        action("lunch-release", "6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c", "0 14 * * *", 4, "2026-12-03T05:00:00+00:00"),
        action("dinner-floor", "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d", "0 17 * * *", 20, "2026-12-03T08:00:00+00:00"),
        action("dinner-release", "8b9c0d1e-2f3a-4b4c-9d5e-6f7a8b9c0d1e", "30 21 * * *", 4, "2026-12-02T12:30:00+00:00"),
    ]})


def warm_pool():
    write("warm-pool.json", {
        "WarmPoolConfiguration": {"MinSize": 2, "MaxGroupPreparedCapacity": 8, "PoolState": "Stopped", "InstanceReusePolicy": {"ReuseOnScaleIn": True}},
        "Instances": [instance(0x9c0 + i, "m5.large", f"{REGION}a", state="Warmed:Stopped", template="dispatch") for i in range(5)],
    })


if __name__ == "__main__":
    demand_documents(passengers())
    groups_document()
    policies_and_alarms()
    scheduled_actions()
    warm_pool()
