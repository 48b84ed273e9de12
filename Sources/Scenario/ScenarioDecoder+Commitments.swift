import Foundation

extension ScenarioDecoder {
  static let commitmentsKeys = ["reservedInstances", "savingsPlans"]
  static let reservedInstanceKeys = [
    "id", "instanceType", "region", "availabilityZone", "count", "offeringClass", "term", "payment", "start", "end",
    "upfrontUSD", "hourlyUSD",
  ]
  static let savingsPlanKeys = [
    "id", "type", "family", "region", "commitmentUSDPerHour", "term", "payment", "start", "end", "upfrontUSD",
  ]
  static let savingsPlanRateKeys = ["type", "family", "region", "term", "payment", "discountPercent"]

  static let terms = CommitmentsDefinition.Term.allCases.map { ($0.rawValue, $0) }
  static let payments = CommitmentsDefinition.Payment.allCases.map { ($0.rawValue, $0) }
  static let offeringClasses = ReservedInstanceDefinition.OfferingClass.allCases.map { ($0.rawValue, $0) }
  static let savingsPlanTypes = SavingsPlanDefinition.PlanType.allCases.map { ($0.rawValue, $0) }
  /// Bound on an upfront payment, USD (a 10⁶ USD/h plan for 3 years is 2.6 × 10¹⁰).
  static let maximumUpfrontUSD = 1e11
  static let computePlanRule =
    "a Compute Savings Plan covers every family and region; 'family' and 'region' are for type ec2Instance"

  // MARK: Commitments

  /// `commitments:`; ids unique across Reserved Instances and Savings Plans.
  func decodeCommitments(_ value: YAMLValue) throws(ScenarioError) -> CommitmentsDefinition {
    let commitments = try value.mapping(allowedKeys: Self.commitmentsKeys)
    var result = CommitmentsDefinition()
    var firstLines: [String: Int] = [:]
    func uniqueID(_ mapping: YAMLMapping) throws(ScenarioError) -> String {
      let idValue = try mapping.required("id")
      let id = try idValue.identifier()
      if let firstLine = firstLines[id] {
        throw idValue.error(.duplicate(kind: "commitment id", name: id, firstLine: firstLine))
      }
      firstLines[id] = idValue.location.line
      return id
    }
    if let list = commitments["reservedInstances"] {
      for item in try list.sequence(count: 0...10_000) {
        let mapping = try item.mapping(allowedKeys: Self.reservedInstanceKeys)
        result.reservedInstances.append(try decodeReservedInstance(mapping, id: uniqueID(mapping), item: item))
      }
    }
    if let list = commitments["savingsPlans"] {
      for item in try list.sequence(count: 0...10_000) {
        let mapping = try item.mapping(allowedKeys: Self.savingsPlanKeys)
        result.savingsPlans.append(try decodeSavingsPlan(mapping, id: uniqueID(mapping), item: item))
      }
    }
    return result
  }

  func decodeReservedInstance(_ m: YAMLMapping, id: String, item: YAMLValue) throws(ScenarioError) -> ReservedInstanceDefinition {
    let instanceType = try Self.decodeInstanceType(m.required("instanceType"))
    let region = try Self.decodeRegion(m.required("region"))
    let availabilityZone = try m.optional("availabilityZone") { v throws(ScenarioError) in
      try Self.decodeAvailabilityZone(v, region: region)
    }
    let count = try m.required("count").int(in: 1...100_000)
    let offeringClass = try m.required("offeringClass").choice(Self.offeringClasses)
    let term = try m.required("term").choice(Self.terms)
    let payment = try m.required("payment").choice(Self.payments)
    let (start, end) = try decodeTermWindow(m, term: term)
    let upfront = try Self.decodeUpfront(m, payment: payment, maximum: Self.maximumUpfrontUSD)
    let hourly = try m.optional("hourlyUSD") { v throws(ScenarioError) in try v.double(in: .closed(0, 10_000)) }
    if payment == .allUpfront, let hourly, hourly != 0, let value = m["hourlyUSD"] {
      throw value.invalid("0 or absent for an allUpfront commitment (it has no hourly fee)")
    }
    if payment == .partialUpfront {
      // The price catalog has no Partial Upfront fees, so both must be written, and both are paid.
      for key in ["upfrontUSD", "hourlyUSD"] {
        let value = try m.required(key)
        if (key == "upfrontUSD" ? upfront : hourly) == 0 {
          throw value.invalid("more than 0 for a partialUpfront commitment (part upfront, part hourly)")
        }
      }
    }
    return ReservedInstanceDefinition(
      id: id, instanceType: instanceType, region: region, availabilityZone: availabilityZone, count: count,
      offeringClass: offeringClass, term: term, payment: payment, start: start, end: end, upfrontUSD: upfront,
      hourlyUSD: hourly, location: item.location)
  }

  func decodeSavingsPlan(_ m: YAMLMapping, id: String, item: YAMLValue) throws(ScenarioError) -> SavingsPlanDefinition {
    let type = try m.required("type").choice(Self.savingsPlanTypes)
    let kind: SavingsPlanDefinition.Kind
    switch type {
    case .compute:
      for key in ["family", "region"] {
        if let value = m[key] {
          throw value.keyLocation.error(.conflicting(field: key, with: "type: compute", rule: Self.computePlanRule))
        }
      }
      kind = .compute
    case .ec2Instance:
      kind = .ec2Instance(
        family: try Self.decodeFamily(m.required("family")), region: try Self.decodeRegion(m.required("region")))
    }
    let commitment = try m.required("commitmentUSDPerHour").double(in: .above(0, atMost: 1e6))
    let term = try m.required("term").choice(Self.terms)
    let payment = try m.required("payment").choice(Self.payments)
    let (start, end) = try decodeTermWindow(m, term: term)
    // Both factors are range-checked: at most 10⁶ × 26280.
    let wholeCommitment = commitment * term.hours
    let whole = "the whole commitment (commitmentUSDPerHour × \(NumberRange.format(term.hours)) h = "
      + "\(NumberRange.format(wholeCommitment)))"
    let upfront = try Self.decodeUpfront(m, payment: payment, maximum: Self.maximumUpfrontUSD)
    switch payment {
    case .noUpfront:
      break
    case .partialUpfront:
      let value = try m.required("upfrontUSD")
      if let upfront, !(upfront > 0 && upfront < wholeCommitment) {
        throw value.error(.outOfRange(
          field: "upfrontUSD", range: "greater than 0 and less than \(whole) for partialUpfront",
          found: NumberRange.format(upfront)))
      }
    case .allUpfront:
      if let upfront, abs(upfront - wholeCommitment) > 1e-9 * max(1, wholeCommitment), let value = m["upfrontUSD"] {
        throw value.invalid("\(whole) for allUpfront, or absent")
      }
    }
    return SavingsPlanDefinition(
      id: id, kind: kind, commitmentUSDPerHour: commitment, term: term, payment: payment, start: start, end: end,
      upfrontUSD: upfront, location: item.location)
  }

  /// `start` (required) and `end` (default: start + the term), with the end after the start
  /// and at most one term after it.
  func decodeTermWindow(_ m: YAMLMapping, term: CommitmentsDefinition.Term) throws(ScenarioError) -> (start: Date, end: Date) {
    let start = try m.required("start").timestamp(in: timeZone)
    let fullTerm = start.addingTimeInterval(term.durationSeconds)
    guard let endValue = m["end"] else { return (start, fullTerm) }
    let end = try endValue.timestamp(in: timeZone)
    guard end > start, end <= fullTerm else {
      throw endValue.invalid("a time after 'start' and at most the \(term.rawValue) term (\(term.days) days) after it")
    }
    return (start, end)
  }

  /// `upfrontUSD` in 0...maximum; must be 0 (or absent) for `noUpfront`.
  static func decodeUpfront(_ m: YAMLMapping, payment: CommitmentsDefinition.Payment, maximum: Double) throws(ScenarioError) -> Double? {
    guard let value = m["upfrontUSD"] else { return nil }
    let upfront = try value.double(in: .closed(0, maximum))
    if payment == .noUpfront, upfront != 0 {
      throw value.invalid("0 or absent for a noUpfront commitment (nothing is paid at purchase)")
    }
    return upfront
  }

  // MARK: Savings Plans rates

  /// `savingsPlanRates:`; one per (type, family, region, term, payment).
  func decodeSavingsPlanRates(_ value: YAMLValue) throws(ScenarioError) -> [SavingsPlanRateDefinition] {
    var rates: [SavingsPlanRateDefinition] = []
    var firstLines: [String: Int] = [:]
    for item in try value.sequence(count: 0...10_000) {
      let m = try item.mapping(allowedKeys: Self.savingsPlanRateKeys)
      let rate = SavingsPlanRateDefinition(
        planType: try m.required("type").choice(Self.savingsPlanTypes),
        family: try Self.decodeFamily(m.required("family")),
        region: try m.optional("region") { v throws(ScenarioError) in try Self.decodeRegion(v) },
        term: try m.required("term").choice(Self.terms),
        payment: try m.required("payment").choice(Self.payments),
        discountPercent: try m.required("discountPercent").double(in: .between(0, 100)),
        location: item.location)
      let key = [
        rate.planType.rawValue, rate.family, rate.region ?? "all regions", rate.term.rawValue, rate.payment.rawValue,
      ].joined(separator: " ")
      if let firstLine = firstLines[key] {
        throw item.error(.duplicate(kind: "savings plan rate", name: key, firstLine: firstLine))
      }
      firstLines[key] = item.location.line
      rates.append(rate)
    }
    return rates
  }

  // MARK: Names

  static func decodeRegion(_ value: YAMLValue) throws(ScenarioError) -> String {
    let region = try value.string(length: 1...50)
    guard isRegionCode(region) else { throw value.invalid("an AWS region code such as us-east-1 or ap-northeast-2") }
    return region
  }

  /// `family.size`, lowercase: `m5.xlarge`, `u-6tb1.metal`.
  static func decodeInstanceType(_ value: YAMLValue) throws(ScenarioError) -> String {
    let text = try value.string(length: 1...50)
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 2, parts.allSatisfy({ isNamePart($0) }) else {
      throw value.invalid("an instance type such as m5.xlarge")
    }
    return text
  }

  /// An instance family, the part of a type before the dot: `m5`, `c6i`, `u-6tb1`.
  static func decodeFamily(_ value: YAMLValue) throws(ScenarioError) -> String {
    let text = try value.string(length: 1...30)
    guard isNamePart(Substring(text)) else {
      let prefix = text.split(separator: ".").first.map(String.init)
      throw value.invalid(
        "an instance family such as m5 (no size)",
        suggestion: text.contains(".") && prefix.map { isNamePart(Substring($0)) } == true ? prefix : nil)
    }
    return text
  }

  private static func isNamePart(_ text: Substring) -> Bool {
    !text.isEmpty && text.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
  }
}
