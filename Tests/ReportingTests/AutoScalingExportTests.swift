import AutoScaling
import Foundation
import Testing

@testable import Reporting

/// Exact request shapes per policy type. Expected documents are written by hand from the
/// AWS API reference (PutScalingPolicy, PutMetricAlarm, PutScheduledUpdateGroupAction).
@Suite struct AutoScalingExportTests {
  static let seoul = TimeZone(identifier: "Asia/Seoul")!
  static let label = "app/orders-alb/50dc6c495c0c9188/targetgroup/orders/73e2d6bc24d8a067"

  static func export(
    _ policies: [ScalingPolicy], predictive: [PredictiveScalingPolicy] = [],
    scheduled: [ScheduledActionDefinition] = [], target: LoadBalancerTarget? = nil, zone: TimeZone = seoul
  ) throws -> AutoScalingExport {
    try AutoScalingExport(
      groupName: "orders-asg", region: "ap-northeast-2", timeZone: zone, policies: policies + predictive.map(ScalingPolicy.predictive),
      scheduledActions: scheduled, loadBalancerTarget: target, source: "a test")
  }


  @Test("target tracking on CPU is one put-scaling-policy document with the predefined metric")
  func targetTrackingCPU() throws {
    let export = try Self.export([.targetTracking(TargetTrackingPolicy(name: "cpu-50", metric: .averageCPUUtilization, targetValue: 50.5))])
    let documents = try export.cliDocuments()
    #expect(documents.map(\.fileName) == ["put-scaling-policy-cpu-50.json"])
    #expect(documents[0].command.operation == "PutScalingPolicy")
    #expect(
      documents[0].text == """
        {
          "AutoScalingGroupName": "orders-asg",
          "PolicyName": "cpu-50",
          "PolicyType": "TargetTrackingScaling",
          "TargetTrackingConfiguration": {
            "PredefinedMetricSpecification": {
              "PredefinedMetricType": "ASGAverageCPUUtilization"
            },
            "TargetValue": 50.5,
            "DisableScaleIn": false
          },
          "Enabled": true
        }

        """)
  }

  @Test("target tracking on request count carries the target group's ResourceLabel")
  func targetTrackingRequests() throws {
    let policy = TargetTrackingPolicy(name: "rpt", metric: .requestCountPerTarget, targetValue: 80, disableScaleIn: true)
    let export = try Self.export([.targetTracking(policy)], target: LoadBalancerTarget(resourceLabel: Self.label))
    #expect(export.placeholderNotes.isEmpty)
    #expect(
      try export.cliDocuments()[0].text == """
        {
          "AutoScalingGroupName": "orders-asg",
          "PolicyName": "rpt",
          "PolicyType": "TargetTrackingScaling",
          "TargetTrackingConfiguration": {
            "PredefinedMetricSpecification": {
              "PredefinedMetricType": "ALBRequestCountPerTarget",
              "ResourceLabel": "\(Self.label)"
            },
            "TargetValue": 80,
            "DisableScaleIn": true
          },
          "Enabled": true
        }

        """)
    // Without a target group: a placeholder AWS rejects, and a note saying so.
    let unlabeled = try Self.export([.targetTracking(policy)])
    #expect(try unlabeled.cliDocuments()[0].text.contains("app/REPLACE-load-balancer-name/"))
    #expect(unlabeled.placeholderNotes.count == 1)
  }

  @Test("step scaling: bounds stay relative to the threshold, and the alarm is its own document")
  func step() throws {
    let policy = StepScalingPolicy(
      name: "out",
      alarm: AlarmConfiguration(
        metric: .averageCPUUtilization, comparison: .greaterThanOrEqualToThreshold, threshold: 60, periodSeconds: 60,
        evaluationPeriods: 3, datapointsToAlarm: 2),
      adjustmentType: .percentChangeInCapacity,
      steps: [
        StepAdjustment(lowerBound: 0, upperBound: 12.5, scalingAdjustment: 20),
        StepAdjustment(lowerBound: 12.5, upperBound: nil, scalingAdjustment: 50),
      ],
      minAdjustmentMagnitude: 2, estimatedInstanceWarmupSeconds: 300)
    let documents = try Self.export([.step(policy)]).cliDocuments()
    #expect(documents.map(\.fileName) == ["put-scaling-policy-out.json", "put-metric-alarm-out.json"])
    #expect(
      documents[0].text == """
        {
          "AutoScalingGroupName": "orders-asg",
          "PolicyName": "out",
          "PolicyType": "StepScaling",
          "AdjustmentType": "PercentChangeInCapacity",
          "StepAdjustments": [
            {
              "MetricIntervalLowerBound": 0,
              "MetricIntervalUpperBound": 12.5,
              "ScalingAdjustment": 20
            },
            {
              "MetricIntervalLowerBound": 12.5,
              "ScalingAdjustment": 50
            }
          ],
          "MetricAggregationType": "Average",
          "MinAdjustmentMagnitude": 2,
          "EstimatedInstanceWarmup": 300,
          "Enabled": true
        }

        """)
    #expect(documents[1].command.service == "cloudwatch")
    #expect(
      documents[1].text == """
        {
          "AlarmName": "orders-asg-out",
          "AlarmDescription": "Invokes scaling policy 'out' (exported by capsim).",
          "MetricName": "CPUUtilization",
          "Namespace": "AWS/EC2",
          "Statistic": "Average",
          "Dimensions": [
            {
              "Name": "AutoScalingGroupName",
              "Value": "orders-asg"
            }
          ],
          "Period": 60,
          "EvaluationPeriods": 3,
          "DatapointsToAlarm": 2,
          "Threshold": 60,
          "ComparisonOperator": "GreaterThanOrEqualToThreshold",
          "AlarmActions": [
            "arn:aws:autoscaling:ap-northeast-2:REPLACE-account-id:scalingPolicy:REPLACE-policy-id:autoScalingGroupName/orders-asg:policyName/out"
          ]
        }

        """)
  }

  @Test("step bounds select the same step in AWS as in the simulator for every metric value")
  func stepBoundsAgree() throws {
    // AWS: a step applies when threshold + lower <= metric < threshold + upper. capsim's
    // StepAdjustment is defined on (metric - threshold), so the exported bounds are its own.
    let policy = StepScalingPolicy(
      name: "out", alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .greaterThanThreshold, threshold: 70),
      adjustmentType: .changeInCapacity,
      steps: [StepAdjustment(lowerBound: 0, upperBound: 10, scalingAdjustment: 1), StepAdjustment(lowerBound: 10, upperBound: nil, scalingAdjustment: 3)])
    let input = try Self.export([.step(policy)]).cliDocuments()[0].input
    let parsed = try JSONSerialization.jsonObject(with: Data(input.rendered().utf8)) as? [String: Any]
    let steps = try #require(parsed?["StepAdjustments"] as? [[String: Any]])
    for metric in stride(from: 70.5, through: 100, by: 0.5) {
      let aws = steps.first { step in
        let lower = (step["MetricIntervalLowerBound"] as? Double).map { 70 + $0 <= metric } ?? true
        let upper = (step["MetricIntervalUpperBound"] as? Double).map { metric < 70 + $0 } ?? true
        return lower && upper
      }
      // capsim's rule (StepAdjustment's doc, FleetSimulator's step lookup): lower <= metric - threshold < upper.
      let capsim = policy.steps.first { step in
        (step.lowerBound.map { metric - 70 >= $0 } ?? true) && (step.upperBound.map { metric - 70 < $0 } ?? true)
      }
      #expect(aws?["ScalingAdjustment"] as? Int == capsim?.scalingAdjustment)
    }
  }

  @Test("a request-count alarm sums per period: threshold and step bounds scale by period / 60 s")
  func requestCountAlarm() throws {
    let policy = StepScalingPolicy(
      name: "out",
      alarm: AlarmConfiguration(metric: .requestCountPerTarget, comparison: .greaterThanThreshold, threshold: 100, periodSeconds: 300),
      adjustmentType: .changeInCapacity,
      steps: [StepAdjustment(lowerBound: 0, upperBound: 20, scalingAdjustment: 1), StepAdjustment(lowerBound: 20, upperBound: nil, scalingAdjustment: 4)])
    let documents = try Self.export([.step(policy)], target: LoadBalancerTarget(resourceLabel: Self.label)).cliDocuments()
    let alarm = try #require(try JSONSerialization.jsonObject(with: Data(documents[1].text.utf8)) as? [String: Any])
    #expect(alarm["Namespace"] as? String == "AWS/ApplicationELB")
    #expect(alarm["MetricName"] as? String == "RequestCountPerTarget")
    #expect(alarm["Statistic"] as? String == "Sum")
    #expect(alarm["Threshold"] as? Double == 500)
    #expect((alarm["Dimensions"] as? [[String: String]]) == [["Name": "TargetGroup", "Value": "targetgroup/orders/73e2d6bc24d8a067"]])
    #expect(documents[0].text.contains("\"MetricIntervalUpperBound\": 100,"))
    #expect(documents[0].text.contains("\"MetricIntervalLowerBound\": 100,\n      \"ScalingAdjustment\": 4"))
  }

  @Test("simple scaling has ScalingAdjustment and Cooldown, and an alarm on the less-than side")
  func simple() throws {
    let policy = SimpleScalingPolicy(
      name: "in",
      alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .lessThanThreshold, threshold: 30, periodSeconds: 120, evaluationPeriods: 5),
      adjustmentType: .changeInCapacity, scalingAdjustment: -2, cooldownSeconds: 300)
    let documents = try Self.export([.simple(policy)]).cliDocuments()
    #expect(
      documents[0].text == """
        {
          "AutoScalingGroupName": "orders-asg",
          "PolicyName": "in",
          "PolicyType": "SimpleScaling",
          "AdjustmentType": "ChangeInCapacity",
          "ScalingAdjustment": -2,
          "Cooldown": 300,
          "Enabled": true
        }

        """)
    #expect(documents[1].text.contains("\"Period\": 120,\n  \"EvaluationPeriods\": 5,\n  \"DatapointsToAlarm\": 5,\n  \"Threshold\": 30,\n  \"ComparisonOperator\": \"LessThanThreshold\","))
  }

  @Test("predictive scaling: the metric pair, mode and buffer; MaxCapacityBuffer only with IncreaseMaxCapacity")
  func predictive() throws {
    let honor = PredictiveScalingPolicy(name: "forecast", metric: .averageCPUUtilization, targetValue: 50, schedulingBufferSeconds: 600)
    let increase = PredictiveScalingPolicy(
      name: "forecast-alb", metric: .requestCountPerTarget, targetValue: 900, mode: .forecastAndScale,
      schedulingBufferSeconds: 300, maxCapacityBreachBehavior: .increaseMaxCapacity, maxCapacityBufferPercent: 10)
    let documents = try Self.export([], predictive: [honor, increase], target: LoadBalancerTarget(resourceLabel: Self.label)).cliDocuments()
    #expect(
      documents[0].text == """
        {
          "AutoScalingGroupName": "orders-asg",
          "PolicyName": "forecast",
          "PolicyType": "PredictiveScaling",
          "PredictiveScalingConfiguration": {
            "MetricSpecifications": [
              {
                "TargetValue": 50,
                "PredefinedMetricPairSpecification": {
                  "PredefinedMetricType": "ASGCPUUtilization"
                }
              }
            ],
            "Mode": "ForecastOnly",
            "SchedulingBufferTime": 600,
            "MaxCapacityBreachBehavior": "HonorMaxCapacity"
          },
          "Enabled": true
        }

        """)
    #expect(
      documents[1].text == """
        {
          "AutoScalingGroupName": "orders-asg",
          "PolicyName": "forecast-alb",
          "PolicyType": "PredictiveScaling",
          "PredictiveScalingConfiguration": {
            "MetricSpecifications": [
              {
                "TargetValue": 900,
                "PredefinedMetricPairSpecification": {
                  "PredefinedMetricType": "ALBRequestCount",
                  "ResourceLabel": "\(Self.label)"
                }
              }
            ],
            "Mode": "ForecastAndScale",
            "SchedulingBufferTime": 300,
            "MaxCapacityBreachBehavior": "IncreaseMaxCapacity",
            "MaxCapacityBuffer": 10
          },
          "Enabled": true
        }

        """)
  }

  @Test("scheduled actions: cron with the scenario's IANA zone, or a one-time UTC StartTime")
  func scheduled() throws {
    let lunch = ScheduledActionDefinition(
      name: "lunch floor", schedule: .recurrence(try CronExpression("30  11 * * MON-FRI")), minSize: 22, maxSize: 120)
    let promo = ScheduledActionDefinition(
      name: "promo", schedule: .at(Date(timeIntervalSince1970: 1_773_392_400)), desiredCapacity: 40)
    let documents = try Self.export([], scheduled: [lunch, promo]).cliDocuments()
    #expect(documents.map(\.fileName) == [
      "put-scheduled-update-group-action-lunch-floor.json", "put-scheduled-update-group-action-promo.json",
    ])
    #expect(
      documents[0].text == """
        {
          "AutoScalingGroupName": "orders-asg",
          "ScheduledActionName": "lunch floor",
          "Recurrence": "30 11 * * MON-FRI",
          "TimeZone": "Asia/Seoul",
          "MinSize": 22,
          "MaxSize": 120
        }

        """)
    #expect(
      documents[1].text == """
        {
          "AutoScalingGroupName": "orders-asg",
          "ScheduledActionName": "promo",
          "StartTime": "2026-03-13T09:00:00Z",
          "DesiredCapacity": 40
        }

        """)
    let utc = try Self.export([], scheduled: [lunch], zone: TimeZone(identifier: "UTC")!).cliDocuments()
    #expect(utc[0].text.contains("\"TimeZone\": \"Etc/UTC\""))
  }

  @Test("the group name from a scenario is made AWS-safe; an explicit bad one is an error")
  func groupNames() throws {
    #expect(AutoScalingExport.groupName(from: "seoul-food-delivery") == "seoul-food-delivery")
    #expect(AutoScalingExport.groupName(from: "Orders: API (서울)") == "Orders-API-(-)")
    #expect(AutoScalingExport.groupName(from: "  ") == "capsim-group")
    #expect(AutoScalingExport.groupName(from: String(repeating: "a", count: 300)).count == 255)
    for bad in ["", "my group", "a:b", String(repeating: "x", count: 256)] {
      let error = #expect(throws: ReportingError.self) {
        try AutoScalingExport(groupName: bad, region: "us-east-1", timeZone: Self.seoul, policies: [])
      }
      #expect(error?.description.contains("1 to 255 printable ASCII characters") == true)
    }
  }

  @Test("values AWS cannot take are errors naming the policy, not silently rounded")
  func unexportable() throws {
    let fractional = SimpleScalingPolicy(
      name: "in", alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .lessThanThreshold, threshold: 30),
      adjustmentType: .changeInCapacity, scalingAdjustment: -1, cooldownSeconds: 90.5)
    let error = #expect(throws: ReportingError.self) { try Self.export([.simple(fractional)]).cliDocuments() }
    #expect(error?.description == "policy 'in': cooldown should be a whole number of seconds (AWS takes integers), found 90.5")

    var odd = fractional
    odd.cooldownSeconds = 300
    odd.alarm.periodSeconds = 45
    let period = #expect(throws: ReportingError.self) { try Self.export([.simple(odd)]).cloudFormationTemplate() }
    #expect(period?.description.contains("a multiple of 60 seconds") == true)

    let expanded = ScalingPolicy.scheduled(ScheduledAction(name: "night", firingTimes: [0], minSize: 1))
    #expect(throws: ReportingError.self) { try Self.export([expanded]).cliDocuments() }
    #expect(throws: ReportingError.self) { try Self.export([]).cloudFormationTemplate() }
  }

  @Test("file names are reduced to safe characters and stay unique")
  func fileNames() throws {
    let a = TargetTrackingPolicy(name: "cpu/50", metric: .averageCPUUtilization, targetValue: 50)
    var b = a
    b.name = "cpu 50"
    #expect(try Self.export([.targetTracking(a), .targetTracking(b)]).cliDocuments().map(\.fileName) == [
      "put-scaling-policy-cpu-50.json", "put-scaling-policy-cpu-50-2.json",
    ])
  }

  @Test("CloudFormation: the group is a parameter, alarms reference their policy, names become logical IDs")
  func cloudFormation() throws {
    let out = SimpleScalingPolicy(
      name: "scale-out", alarm: AlarmConfiguration(metric: .averageCPUUtilization, comparison: .greaterThanThreshold, threshold: 65.25),
      adjustmentType: .changeInCapacity, scalingAdjustment: 4, cooldownSeconds: 300)
    let night = ScheduledActionDefinition(
      name: "night", schedule: .recurrence(try CronExpression("30 20 * * *")), minSize: 4)
    let template = try Self.export([.simple(out)], scheduled: [night]).cloudFormationTemplate()
    #expect(
      template == """
        # Exported by capsim from a test. Check with: cfn-lint template.yaml
        AWSTemplateFormatVersion: "2010-09-09"
        Description: "Scaling policies and scheduled actions exported by capsim from a test."
        Parameters:
          AutoScalingGroupName:
            Type: "String"
            Description: "The Auto Scaling group the policies and scheduled actions apply to."
            Default: "orders-asg"
            MinLength: 1
            MaxLength: 255
        Resources:
          # scaling policy 'scale-out' (SimpleScaling)
          ScaleOutPolicy:
            Type: "AWS::AutoScaling::ScalingPolicy"
            Properties:
              AutoScalingGroupName: !Ref AutoScalingGroupName
              PolicyType: "SimpleScaling"
              AdjustmentType: "ChangeInCapacity"
              ScalingAdjustment: 4
              Cooldown: 300
          # the CloudWatch alarm that invokes 'scale-out'
          ScaleOutAlarm:
            Type: "AWS::CloudWatch::Alarm"
            Properties:
              AlarmDescription: "Invokes scaling policy 'scale-out' (exported by capsim)."
              MetricName: "CPUUtilization"
              Namespace: "AWS/EC2"
              Statistic: "Average"
              Dimensions:
                - Name: "AutoScalingGroupName"
                  Value: !Ref AutoScalingGroupName
              Period: 60
              EvaluationPeriods: 1
              DatapointsToAlarm: 1
              Threshold: 65.25
              ComparisonOperator: "GreaterThanThreshold"
              AlarmActions:
                - !Ref ScaleOutPolicy
          # scheduled action 'night'
          NightScheduledAction:
            Type: "AWS::AutoScaling::ScheduledAction"
            Properties:
              AutoScalingGroupName: !Ref AutoScalingGroupName
              Recurrence: "30 20 * * *"
              TimeZone: "Asia/Seoul"
              MinSize: 4

        """)
  }

  @Test("YAML numbers never use exponents; strings are double-quoted with escapes", arguments: [
    (1e-05, "0.00001"), (1.5e-7, "0.00000015"), (-2.5e-5, "-0.000025"), (1e16, "10000000000000000"), (65.25, "65.25"), (0, "0"),
  ])
  func yamlScalars(value: Double, expected: String) {
    #expect(AutoScalingExport.plainDecimal(value) == expected)
    #expect(AutoScalingExport.quoted("a \"b\"\n# c: d") == "\"a \\\"b\\\"\\n# c: d\"")
  }

  @Test("the ALB resource label splits into load balancer and target group; anything else is an error")
  func resourceLabels() throws {
    let target = try LoadBalancerTarget(resourceLabel: Self.label)
    #expect(target.loadBalancerFullName == "app/orders-alb/50dc6c495c0c9188")
    #expect(target.targetGroupFullName == "targetgroup/orders/73e2d6bc24d8a067")
    #expect(target.resourceLabel == Self.label)
    for bad in ["orders", "app/a/b/targetgroup/c", "net/a/b/targetgroup/c/d", "app/a//targetgroup/c/d"] {
      #expect(throws: ReportingError.self) { try LoadBalancerTarget(resourceLabel: bad) }
    }
  }
}

/// The group settings an export carries (AWS API reference: UpdateAutoScalingGroup,
/// PutWarmPool; CloudFormation: AWS::AutoScaling::WarmPool). Expected documents by hand.
@Suite struct AutoScalingExportGroupSettingsTests {
  static func export(
    pool: WarmPoolConfiguration?, zones: [String] = [], rebalance: Bool? = nil
  ) throws -> AutoScalingExport {
    var export = try AutoScalingExport(
      groupName: "dispatch", region: "ap-northeast-2", timeZone: AutoScalingExportTests.seoul,
      policies: [.targetTracking(TargetTrackingPolicy(name: "cpu-50", metric: .averageCPUUtilization, targetValue: 50))],
      source: "a test")
    export.warmPool = pool
    export.availabilityZones = zones
    export.capacityRebalance = rebalance
    return export
  }

  static let pool = WarmPoolConfiguration(
    poolState: .hibernated, minSize: 2, maxGroupPreparedCapacity: 8, reuseOnScaleIn: true, warmLaunchSeconds: 45,
    volumeGiBPerInstance: 20)

  @Test("zones and Capacity Rebalancing are update-auto-scaling-group, the pool put-warm-pool, both before the policies")
  func cliDocuments() throws {
    let export = try Self.export(pool: Self.pool, zones: ["ap-northeast-2a", "ap-northeast-2c"], rebalance: false)
    let documents = try export.cliDocuments()
    #expect(documents.map(\.fileName) == [
      "update-auto-scaling-group-dispatch.json", "put-warm-pool-dispatch.json", "put-scaling-policy-cpu-50.json",
    ])
    #expect(documents.map(\.command.operation) == ["UpdateAutoScalingGroup", "PutWarmPool", "PutScalingPolicy"])
    #expect(documents[0].shellCommand == "aws autoscaling update-auto-scaling-group --cli-input-json file://update-auto-scaling-group-dispatch.json")
    #expect(
      documents[0].text == """
        {
          "AutoScalingGroupName": "dispatch",
          "AvailabilityZones": [
            "ap-northeast-2a",
            "ap-northeast-2c"
          ],
          "CapacityRebalance": false
        }

        """)
    #expect(
      documents[1].text == """
        {
          "AutoScalingGroupName": "dispatch",
          "MaxGroupPreparedCapacity": 8,
          "MinSize": 2,
          "PoolState": "Hibernated",
          "InstanceReusePolicy": {
            "ReuseOnScaleIn": true
          }
        }

        """)
    // The model's own knobs are not AWS settings: a note says so, and where zones come from in a VPC.
    #expect(export.placeholderNotes.contains { $0.hasPrefix("the warm pool's warmLaunchTime (45 s) and EBS volume (20 GiB)") })
    #expect(export.placeholderNotes.contains { $0.contains("subnet in each of ap-northeast-2a, ap-northeast-2c") })
  }

  @Test("a default pool without MaxGroupPreparedCapacity leaves it out (AWS then uses the max size); nothing set, no document")
  func defaults() throws {
    let documents = try Self.export(pool: WarmPoolConfiguration(warmLaunchSeconds: 60)).cliDocuments()
    #expect(documents.map(\.fileName) == ["put-warm-pool-dispatch.json", "put-scaling-policy-cpu-50.json"])
    #expect(
      documents[0].text == """
        {
          "AutoScalingGroupName": "dispatch",
          "MinSize": 0,
          "PoolState": "Stopped",
          "InstanceReusePolicy": {
            "ReuseOnScaleIn": false
          }
        }

        """)
    #expect(try Self.export(pool: nil).cliDocuments().map(\.command) == [.putScalingPolicy])
    #expect(try Self.export(pool: nil).isEmpty == false)
    var bad = try Self.export(pool: WarmPoolConfiguration(minSize: -1, warmLaunchSeconds: 60))
    #expect(throws: ReportingError.self) { try bad.cliDocuments() }
    bad.warmPool = nil
    #expect(try bad.cliDocuments().count == 1)
  }

  @Test("CloudFormation: an AWS::AutoScaling::WarmPool on the group parameter; zones and rebalancing as a comment for the group")
  func template() throws {
    let template = try Self.export(pool: Self.pool, zones: ["ap-northeast-2a", "ap-northeast-2c"], rebalance: true)
      .cloudFormationTemplate()
    #expect(template.contains("""
      # The group's own properties (AWS::AutoScaling::AutoScalingGroup, not in this template): set in its resource
      #   AvailabilityZones:
      #     - "ap-northeast-2a"
      #     - "ap-northeast-2c"
      #   CapacityRebalance: true
      Resources:
        # the group's warm pool
        WarmPool:
          Type: "AWS::AutoScaling::WarmPool"
          Properties:
            AutoScalingGroupName: !Ref AutoScalingGroupName
            MaxGroupPreparedCapacity: 8
            MinSize: 2
            PoolState: "Hibernated"
            InstanceReusePolicy:
              ReuseOnScaleIn: true
        # scaling policy 'cpu-50' (TargetTrackingScaling)
        Cpu50Policy:

      """))
    // A pool alone is something to deploy; with nothing at all the template is an error.
    var poolOnly = try Self.export(pool: Self.pool)
    poolOnly.policies = []
    #expect(try poolOnly.cloudFormationTemplate().contains("  WarmPool:\n"))
    poolOnly.warmPool = nil
    #expect(throws: ReportingError.self) { try poolOnly.cloudFormationTemplate() }
  }
}
