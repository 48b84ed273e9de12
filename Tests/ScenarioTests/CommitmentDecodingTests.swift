import AutoScaling
import Foundation
import Testing

@testable import Scenario

/// `Fixture.minimal` (lines 1-14, UTC) with purchase options, commitments and Savings
/// Plans rates; line numbers are listed for reading the error positions in
/// BillingInputErrorTests.
enum CommitmentFixture {
  static let yaml = Fixture.minimal + """
    commitments:
      reservedInstances:
        - id: ri-regional
          instanceType: m5.xlarge
          region: us-east-1
          count: 3
          offeringClass: standard
          term: 1y
          payment: noUpfront
          start: 2025-09-01T00:00:00
        - id: ri-zonal
          instanceType: c6i.large
          region: us-east-1
          availabilityZone: us-east-1a
          count: 2
          offeringClass: convertible
          term: 3y
          payment: partialUpfront
          start: 2026-02-01T09:00:00+09:00
          end: 2027-02-01T00:00:00Z
          upfrontUSD: 500
          hourlyUSD: 0.03
      savingsPlans:
        - id: sp-compute
          type: compute
          commitmentUSDPerHour: 1.0
          term: 1y
          payment: noUpfront
          start: 2026-01-15T00:00:00
        - id: sp-m5
          type: ec2Instance
          family: m5
          region: us-east-1
          commitmentUSDPerHour: 0.25
          term: 3y
          payment: allUpfront
          start: 2026-03-01T00:00:00
          upfrontUSD: 6570
    savingsPlanRates:
      - {type: compute, family: m5, term: 1y, payment: noUpfront, discountPercent: 28}
      - {type: ec2Instance, family: m5, region: us-east-1, term: 3y, payment: allUpfront, discountPercent: 62.5}

    """
  // 15 commitments:
  // 16   reservedInstances:
  // 17     - id: ri-regional
  // 18       instanceType: m5.xlarge
  // 19       region: us-east-1
  // 20       count: 3
  // 21       offeringClass: standard
  // 22       term: 1y
  // 23       payment: noUpfront
  // 24       start: 2025-09-01T00:00:00
  // 25     - id: ri-zonal
  // 26       instanceType: c6i.large
  // 27       region: us-east-1
  // 28       availabilityZone: us-east-1a
  // 29       count: 2
  // 30       offeringClass: convertible
  // 31       term: 3y
  // 32       payment: partialUpfront
  // 33       start: 2026-02-01T09:00:00+09:00
  // 34       end: 2027-02-01T00:00:00Z
  // 35       upfrontUSD: 500
  // 36       hourlyUSD: 0.03
  // 37   savingsPlans:
  // 38     - id: sp-compute
  // 39       type: compute
  // 40       commitmentUSDPerHour: 1.0
  // 41       term: 1y
  // 42       payment: noUpfront
  // 43       start: 2026-01-15T00:00:00
  // 44     - id: sp-m5
  // 45       type: ec2Instance
  // 46       family: m5
  // 47       region: us-east-1
  // 48       commitmentUSDPerHour: 0.25
  // 49       term: 3y
  // 50       payment: allUpfront
  // 51       start: 2026-03-01T00:00:00
  // 52       upfrontUSD: 6570
  // 53 savingsPlanRates:
  // 54   - {type: compute, family: m5, term: 1y, payment: noUpfront, discountPercent: 28}
  // 55   - {type: ec2Instance, family: m5, region: us-east-1, term: 3y, payment: allUpfront, discountPercent: 62.5}

  /// `yaml` with 1-based line `number` replaced by `replacement` (which may span lines).
  static func replacing(line number: Int, with replacement: String) -> String {
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    lines[number - 1] = replacement
    return lines.joined(separator: "\n")
  }
}

@Suite struct CommitmentDecodingTests {
  static func at(_ line: Int, _ column: Int) -> Scenario.SourceLocation { SourceLocation(file: "test.yaml", line: line, column: column) }

  @Test("reserved instances decode with dates, a default end one 365-day term after the start, and their locations")
  func reservedInstances() throws {
    let commitments = try Fixture.parse(CommitmentFixture.yaml).commitments
    #expect(commitments.reservedInstances == [
      ReservedInstanceDefinition(
        id: "ri-regional", instanceType: "m5.xlarge", region: "us-east-1", availabilityZone: nil, count: 3,
        offeringClass: .standard, term: .oneYear, payment: .noUpfront, start: .utc("2025-09-01T00:00:00Z"),
        end: .utc("2026-09-01T00:00:00Z"), upfrontUSD: nil, hourlyUSD: nil, location: Self.at(17, 7)),
      ReservedInstanceDefinition(
        id: "ri-zonal", instanceType: "c6i.large", region: "us-east-1", availabilityZone: "us-east-1a", count: 2,
        offeringClass: .convertible, term: .threeYears, payment: .partialUpfront, start: .utc("2026-02-01T00:00:00Z"),
        end: .utc("2027-02-01T00:00:00Z"), upfrontUSD: 500, hourlyUSD: 0.03, location: Self.at(25, 7)),
    ])
    #expect(commitments.reservedInstances.map(\.isZonal) == [false, true])
  }

  @Test("savings plans decode with their kind, commitment and a default end; the 3y term is 1095 days")
  func savingsPlans() throws {
    let commitments = try Fixture.parse(CommitmentFixture.yaml).commitments
    #expect(commitments.savingsPlans == [
      SavingsPlanDefinition(
        id: "sp-compute", kind: .compute, commitmentUSDPerHour: 1, term: .oneYear, payment: .noUpfront,
        start: .utc("2026-01-15T00:00:00Z"), end: .utc("2027-01-15T00:00:00Z"), upfrontUSD: nil,
        location: Self.at(38, 7)),
      SavingsPlanDefinition(
        id: "sp-m5", kind: .ec2Instance(family: "m5", region: "us-east-1"), commitmentUSDPerHour: 0.25,
        term: .threeYears, payment: .allUpfront, start: .utc("2026-03-01T00:00:00Z"),
        end: .utc("2029-02-28T00:00:00Z"), upfrontUSD: 6_570,  // 1095 days, not 3 calendar years
        location: Self.at(44, 7)),
    ])
    #expect(commitments.savingsPlans.map(\.kind.type) == [.compute, .ec2Instance])
    #expect(CommitmentsDefinition.Term.threeYears.hours == 26_280)
    #expect(CommitmentsDefinition.Term.oneYear.durationSeconds == 31_536_000)
  }

  @Test("savings plans rates decode; a rate without region means every region")
  func savingsPlanRates() throws {
    let rates = try Fixture.parse(CommitmentFixture.yaml).savingsPlanRates
    #expect(rates == [
      SavingsPlanRateDefinition(
        planType: .compute, family: "m5", region: nil, term: .oneYear, payment: .noUpfront, discountPercent: 28,
        location: Self.at(54, 5)),
      SavingsPlanRateDefinition(
        planType: .ec2Instance, family: "m5", region: "us-east-1", term: .threeYears, payment: .allUpfront,
        discountPercent: 62.5, location: Self.at(55, 5)),
    ])
  }

  @Test("without commitments or rates a scenario has none, and the fleet is all On-Demand in no particular AZ")
  func absentBlocksAreEmpty() throws {
    let scenario = try Fixture.parse(Fixture.minimal)
    #expect(scenario.commitments == CommitmentsDefinition())
    #expect(scenario.commitments.isEmpty)
    #expect(scenario.savingsPlanRates.isEmpty)
    #expect(scenario.services.isEmpty)
    #expect(!scenario.hasServices)
    #expect(scenario.fleet.availabilityZone == nil)
    #expect(scenario.fleet.spotPriceUSDPerHour == nil)
    #expect(scenario.fleet.group.onDemandBaseCapacity == 0)
    #expect(scenario.fleet.group.onDemandPercentageAboveBaseCapacity == 100)
    #expect(scenario.variants[0].spotPriceUSDPerHour == nil)
  }

  @Test("commitments and rates may each be empty or given alone")
  func partialBlocks() throws {
    let onlyPlans = try Fixture.parse(Fixture.minimal + """
      commitments:
        savingsPlans:
          - {id: sp, type: compute, commitmentUSDPerHour: 2, term: 3y, payment: partialUpfront,
             start: 2026-01-01, end: 2026-06-01, upfrontUSD: 20000}
      savingsPlanRates: []

      """)
    #expect(onlyPlans.commitments.reservedInstances.isEmpty)
    #expect(onlyPlans.commitments.savingsPlans.map(\.end) == [.utc("2026-06-01T00:00:00Z")])
    #expect(onlyPlans.commitments.savingsPlans.map(\.upfrontUSD) == [20_000])
    #expect(onlyPlans.savingsPlanRates.isEmpty)
  }

  @Test("fleet purchase options and availabilityZone fill the group; a variant overrides only the keys it writes")
  func purchaseOptions() throws {
    let yaml = Fixture.minimal
      .replacingOccurrences(of: "  maxSize: 10\n", with: """
          maxSize: 10
          availabilityZone: us-east-1c
          purchaseOptions: {onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 30, spotPriceUSDPerHour: 0.035}

        """)
      + """
        - name: b
          fleet: {purchaseOptions: {onDemandPercentageAboveBaseCapacity: 0}}
        - name: c
          fleet: {maxSize: 12, purchaseOptions: {onDemandBaseCapacity: 0, spotPriceUSDPerHour: 0.02}}

      """
    let scenario = try Fixture.parse(yaml)
    #expect(scenario.fleet.availabilityZone == "us-east-1c")
    #expect(scenario.fleet.spotPriceUSDPerHour == 0.035)
    #expect(scenario.fleet.group == GroupConfiguration(
      instanceType: "m5.large", minSize: 2, maxSize: 10, initialCapacity: 2, launchSeconds: 120, warmupSeconds: 300,
      capacityUnitsPerMinute: 120, onDemandBaseCapacity: 2, onDemandPercentageAboveBaseCapacity: 30))
    let variants = scenario.variants
    #expect(variants.map(\.group.onDemandBaseCapacity) == [2, 2, 0])
    #expect(variants.map(\.group.onDemandPercentageAboveBaseCapacity) == [30, 0, 30])
    #expect(variants.map(\.spotPriceUSDPerHour) == [0.035, 0.035, 0.02])
    #expect(variants.map(\.group.maxSize) == [10, 10, 12])
  }

  @Test("Availability Zone names: a zone letter or a Local Zone of the fleet's region",
        arguments: ["us-east-1a", "us-east-1f", "us-east-1-bos-1a"])
  func availabilityZoneForms(zone: String) throws {
    let scenario = try Fixture.parse(Fixture.minimal(replacing: "maxSize: 10", with: "  maxSize: 10\n  availabilityZone: \(zone)"))
    #expect(scenario.fleet.availabilityZone == zone)
  }
}
