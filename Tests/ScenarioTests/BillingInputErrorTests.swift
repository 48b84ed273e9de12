import Testing

@testable import Scenario

/// Mistakes in purchase options, services, commitments and Savings Plans rates, each with
/// the exact position and sentence. Positions are read off the line listings of
/// `Fixture.minimal` (ScenarioErrorTests), `CommitmentFixture` and `ServiceFixture`.
@Suite struct BillingInputErrorTests {
  static let servicesRule =
    "a scenario with 'services' gives each service its own demand, fleet and policies; "
    + "top-level 'demand', 'fleet' and 'variants' are for a single-service scenario"
  static let computeRule =
    "a Compute Savings Plan covers every family and region; 'family' and 'region' are for type ec2Instance"

  static func commitments(_ name: String, line: Int, _ text: String, at position: (Int, Int), _ message: String) -> Mistake {
    Mistake(name, yaml: CommitmentFixture.replacing(line: line, with: text), at: position.0, position.1, message)
  }

  static func services(_ name: String, line: Int, _ text: String, at position: (Int, Int), _ message: String) -> Mistake {
    Mistake(name, yaml: ServiceFixture.replacing(line: line, with: text), at: position.0, position.1, message)
  }

  static let commitmentMistakes: [Mistake] = [
    commitments(
      "unknown key in a reserved instance, with a suggestion", line: 20, "      cout: 3", at: (20, 7),
      "unknown key 'cout' in 'commitments.reservedInstances[0]'; did you mean 'count'? Allowed keys: id, instanceType, "
        + "region, availabilityZone, count, offeringClass, term, payment, start, end, upfrontUSD, hourlyUSD"),
    commitments(
      "unknown key in a savings plan, with a suggestion", line: 40, "      commitmentUSDPerHr: 1.0", at: (40, 7),
      "unknown key 'commitmentUSDPerHr' in 'commitments.savingsPlans[0]'; did you mean 'commitmentUSDPerHour'? "
        + "Allowed keys: id, type, family, region, commitmentUSDPerHour, term, payment, start, end, upfrontUSD"),
    commitments(
      "unknown key in commitments", line: 16, "  reservedInstance:", at: (16, 3),
      "unknown key 'reservedInstance' in 'commitments'; did you mean 'reservedInstances'? "
        + "Allowed keys: reservedInstances, savingsPlans"),
    commitments(
      "family missing on an ec2Instance plan", line: 46, "", at: (44, 7),
      "missing required key 'family' in 'commitments.savingsPlans[1]'"),
    commitments(
      "region missing on an ec2Instance plan", line: 47, "", at: (44, 7),
      "missing required key 'region' in 'commitments.savingsPlans[1]'"),
    commitments(
      "family given on a compute plan", line: 39, "      type: compute\n      family: m5", at: (40, 7),
      "'family' cannot be combined with 'type: compute': \(computeRule)"),
    commitments(
      "region given on a compute plan", line: 39, "      type: compute\n      region: us-east-1", at: (40, 7),
      "'region' cannot be combined with 'type: compute': \(computeRule)"),
    commitments(
      "count below range", line: 20, "      count: 0", at: (20, 14), "'count' must be in 1...100000, found 0"),
    commitments(
      "count above range", line: 20, "      count: 100001", at: (20, 14), "'count' must be in 1...100000, found 100001"),
    commitments(
      "duplicate commitment id across an RI and a plan", line: 44, "    - id: ri-regional", at: (44, 11),
      "duplicate commitment id 'ri-regional' (first at line 17); each must be unique"),
    commitments(
      "discountPercent 100", line: 54,
      "  - {type: compute, family: m5, term: 1y, payment: noUpfront, discountPercent: 100}", at: (54, 80),
      "'discountPercent' must be greater than 0 and less than 100, found 100"),
    commitments(
      "discountPercent 0", line: 54,
      "  - {type: compute, family: m5, term: 1y, payment: noUpfront, discountPercent: 0}", at: (54, 80),
      "'discountPercent' must be greater than 0 and less than 100, found 0"),
    commitments(
      "duplicate savings plan rate", line: 55,
      "  - {type: compute, family: m5, term: 1y, payment: noUpfront, discountPercent: 30}", at: (55, 5),
      "duplicate savings plan rate 'compute m5 all regions 1y noUpfront' (first at line 54); each must be unique"),
    commitments(
      "family written with a size", line: 46, "      family: m5.large", at: (46, 15),
      "'family' should be an instance family such as m5 (no size), found \"m5.large\"; did you mean 'm5'?"),
    commitments(
      "instance type without a size", line: 18, "      instanceType: m5", at: (18, 21),
      "'instanceType' should be an instance type such as m5.xlarge, found \"m5\""),
    commitments(
      "end after the term", line: 34, "      end: 2029-02-01T00:00:00Z", at: (34, 12),
      "'end' should be a time after 'start' and at most the 3y term (1095 days) after it, found \"2029-02-01T00:00:00Z\""),
    commitments(
      "end before start", line: 34, "      end: 2026-01-31T00:00:00Z", at: (34, 12),
      "'end' should be a time after 'start' and at most the 3y term (1095 days) after it, found \"2026-01-31T00:00:00Z\""),
    commitments(
      "upfront payment on a noUpfront RI", line: 24, "      start: 2025-09-01T00:00:00\n      upfrontUSD: 100",
      at: (25, 19),
      "'upfrontUSD' should be 0 or absent for a noUpfront commitment (nothing is paid at purchase), found \"100\""),
    commitments(
      "hourly fee on an allUpfront RI", line: 32, "      payment: allUpfront", at: (36, 18),
      "'hourlyUSD' should be 0 or absent for an allUpfront commitment (it has no hourly fee), found \"0.03\""),
    commitments(
      "allUpfront plan paying less than the whole commitment", line: 52, "      upfrontUSD: 6000", at: (52, 19),
      "'upfrontUSD' should be the whole commitment (commitmentUSDPerHour × 26280 h = 6570) for allUpfront, or absent, "
        + "found \"6000\""),
    commitments(
      "partialUpfront plan paying the whole commitment", line: 50, "      payment: partialUpfront", at: (52, 19),
      "'upfrontUSD' must be greater than 0 and less than the whole commitment (commitmentUSDPerHour × 26280 h = 6570) "
        + "for partialUpfront, found 6570"),
    Mistake(
      "partialUpfront plan without upfrontUSD",
      yaml: CommitmentFixture.replacing(line: 52, with: "")
        .replacingOccurrences(of: "      payment: allUpfront\n", with: "      payment: partialUpfront\n"),
      at: 44, 7, "missing required key 'upfrontUSD' in 'commitments.savingsPlans[1]'"),
    commitments(
      "partialUpfront RI without its hourly fee", line: 36, "", at: (25, 7),
      "missing required key 'hourlyUSD' in 'commitments.reservedInstances[1]'"),
    commitments(
      "partialUpfront RI with a zero upfront fee", line: 35, "      upfrontUSD: 0", at: (35, 19),
      "'upfrontUSD' should be more than 0 for a partialUpfront commitment (part upfront, part hourly), found \"0\""),
    commitments(
      "zonal RI in another region", line: 28, "      availabilityZone: us-west-2a", at: (28, 25),
      "'availabilityZone' should be an Availability Zone of us-east-1 such as us-east-1a, found \"us-west-2a\""),
    commitments(
      "term without its unit", line: 22, "      term: 1", at: (22, 13),
      "'term' should be one of 1y, 3y, found \"1\"; did you mean '1y'?"),
    commitments(
      "offering class capitalised", line: 21, "      offeringClass: Standard", at: (21, 22),
      "'offeringClass' should be one of standard, convertible, found \"Standard\"; did you mean 'standard'?"),
    commitments(
      "payment in AWS console spelling", line: 23, "      payment: No Upfront", at: (23, 16),
      "'payment' should be one of noUpfront, partialUpfront, allUpfront, found \"No Upfront\"; did you mean 'noUpfront'?"),
  ]

  static let fleetMistakes: [Mistake] = [
    Mistake(
      "onDemandPercentageAboveBaseCapacity 101", replacing: "maxSize: 10",
      with: "  maxSize: 10\n  purchaseOptions: {onDemandPercentageAboveBaseCapacity: 101}", at: 11, 58,
      "'onDemandPercentageAboveBaseCapacity' must be in 0...100, found 101"),
    Mistake(
      "negative onDemandBaseCapacity in a variant override", replacing: "- name: a",
      with: "  - name: a\n    fleet: {purchaseOptions: {onDemandBaseCapacity: -1}}", at: 13, 53,
      "'onDemandBaseCapacity' must be in 0...1000000, found -1"),
    Mistake(
      "unknown purchase option, with a suggestion", replacing: "maxSize: 10",
      with: "  maxSize: 10\n  purchaseOptions: {spotPriceUSDPerHr: 0.03}", at: 11, 21,
      "unknown key 'spotPriceUSDPerHr' in 'fleet.purchaseOptions'; did you mean 'spotPriceUSDPerHour'? "
        + "Allowed keys: onDemandBaseCapacity, onDemandPercentageAboveBaseCapacity, spotPriceUSDPerHour, spotInterruptions, "
        + "instanceTypes, spotAllocationStrategy, spotInstancePools, onDemandAllocationStrategy"),
    Mistake(
      "Spot price 0", replacing: "maxSize: 10", with: "  maxSize: 10\n  purchaseOptions: {spotPriceUSDPerHour: 0}",
      at: 11, 42, "'spotPriceUSDPerHour' must be greater than 0 and at most 10000, found 0"),
    Mistake(
      "availabilityZone without a zone letter", replacing: "maxSize: 10",
      with: "  maxSize: 10\n  availabilityZone: us-east-1", at: 11, 21,
      "'availabilityZone' should be an Availability Zone of us-east-1 such as us-east-1a, found \"us-east-1\""),
    Mistake(
      "availabilityZone is not a variant override", replacing: "- name: a",
      with: "  - name: a\n    fleet: {availabilityZone: us-east-1a}", at: 13, 13,
      "unknown key 'availabilityZone' in 'variants[0].fleet'. Allowed keys: minSize, maxSize, initialCapacity, "
        + "launchTime, launchJitter, warmup, purchaseOptions, warmPool"),
  ]

  static let serviceMistakes: [Mistake] = [
    Mistake(
      "services together with variants", yaml: ServiceFixture.yaml + "variants:\n  - name: a\n", at: 32, 1,
      "'variants' cannot be combined with 'services': \(servicesRule)"),
    services(
      "services after a top-level demand", line: 1, "name: teams\ndemand: {csv: data/orders.csv}", at: (5, 1),
      "'services' cannot be combined with 'demand': \(servicesRule)"),
    services(
      "service instanceType without capacity in the top-level map", line: 12, "      instanceType: c6i.large",
      at: (12, 21),
      "'instanceType' should be an instance type listed in capacity.unitsPerMinute (m5.large), found \"c6i.large\""),
    services(
      "service instanceType without capacity in its own map", line: 26, "      instanceType: m5.large", at: (26, 21),
      "'instanceType' should be an instance type listed in services[1].capacity.unitsPerMinute (r6i.large), "
        + "found \"m5.large\""),
    services(
      "duplicate service name", line: 17, "  - name: api", at: (17, 11),
      "duplicate service name 'api' (first at line 5); each must be unique"),
    services(
      "service without a team", line: 18, "", at: (17, 5), "missing required key 'team' in 'services[1]'"),
    services(
      "unknown key in a service, with a suggestion", line: 6, "    teams: orders", at: (6, 5),
      "unknown key 'teams' in 'services[0]'; did you mean 'team'? "
        + "Allowed keys: name, team, tags, demand, capacity, fleet, policies, serving, slo"),
    services(
      "tag value that YAML reads as a number", line: 7, "    tags: {cost-center: 1001}", at: (7, 25),
      "'cost-center' should be a string (put it in quotes), found integer 1001"),
    Mistake(
      "no capacity for a service and none at the top level",
      yaml: ServiceFixture.replacing(line: 2, with: "").replacingOccurrences(of: "  unitsPerMinute: {m5.large: 120}\n", with: "\n"),
      at: 5, 5, "missing required key 'capacity' in 'services[0]'"),
  ]

  @Test("each mistake is reported at its exact line and column with its sentence",
        arguments: commitmentMistakes + fleetMistakes + serviceMistakes)
  func mistakeIsLocated(_ mistake: Mistake) throws {
    let error = try #require(Fixture.error(mistake.yaml))
    #expect(error.file == "test.yaml")
    #expect(error.line == mistake.line)
    #expect(error.column == mistake.column)
    #expect(error.message == mistake.message)
  }

  @Test("the conflict between services and variants carries the rule as data")
  func servicesConflictProblem() throws {
    let error = try #require(Fixture.error(ServiceFixture.yaml + "variants:\n  - name: a\n"))
    #expect(error.problem == .conflicting(field: "variants", with: "services", rule: Self.servicesRule))
  }
}
