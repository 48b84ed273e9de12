import Advisor
import ArgumentParser
import Billing

/// What may be bought and the caps: shared by `commitments` and `recommend`.
struct PurchaseOptions: ParsableArguments {
  @Option(help: "Terms to consider, comma-separated: 1y, 3y.")
  var term = "1y"

  @Option(help: "Payment options, comma-separated: no-upfront, partial-upfront, all-upfront.")
  var payment = "no-upfront"

  @Option(help: "Commitment kinds, comma-separated: ri, ec2-sp, compute-sp.")
  var kinds = "ri,ec2-sp,compute-sp"

  @Option(help: "RI offering classes, comma-separated: standard, convertible.")
  var riClass = "standard,convertible"

  @Option(help: "Cap: commitments' On-Demand-equivalent capacity as a percent of mean On-Demand spend.")
  var maxCoverage: Double?

  @Option(help: "Cap: total effective USD per hour of commitments.")
  var maxHourlyCommitment: Double?

  @Option(help: "Cap: total USD paid upfront.")
  var maxUpfront: Double?

  @Option(help: "Split the purchase over this many months.")
  var ladderMonths: Int?

  func offerings() throws -> CommitmentOfferings {
    func list<T>(_ text: String, option: String, _ parse: (String) -> T?) throws -> [T] {
      let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      guard !items.isEmpty else { throw ValidationError("--\(option): expected a comma-separated list, found '\(text)'") }
      return try items.map { item in
        guard let value = parse(item) else { throw ValidationError("--\(option): unknown value '\(item)'") }
        return value
      }
    }
    let kinds = try list(kinds, option: "kinds") { ["ri", "ec2-sp", "compute-sp"].contains($0) ? $0 : nil }
    var offerings = CommitmentOfferings(
      terms: try list(term, option: "term") { CommitmentTerm(rawValue: $0) },
      payments: try list(payment, option: "payment") { PaymentOption(rawValue: $0) },
      reservedInstanceClasses: kinds.contains("ri") ? try list(riClass, option: "ri-class") { OfferingClass(rawValue: $0) } : [],
      includeEC2InstanceSavingsPlans: kinds.contains("ec2-sp"), includeComputeSavingsPlans: kinds.contains("compute-sp"))
    offerings.terms = Array(Set(offerings.terms)).sorted { $0.hours < $1.hours }
    return offerings
  }

  func caps() throws -> CommitmentCaps {
    if let cap = maxCoverage, !(cap >= 0 && cap <= 100) {
      throw ValidationError("--max-coverage: expected a percent from 0 to 100, found \(cap)")
    }
    for (option, value) in [("max-hourly-commitment", maxHourlyCommitment), ("max-upfront", maxUpfront)] {
      if let value, !(value.isFinite && value >= 0) { throw ValidationError("--\(option): expected a number >= 0, found \(value)") }
    }
    return CommitmentCaps(maxHourlyCommitment: maxHourlyCommitment, maxUpfront: maxUpfront, maxCoverage: maxCoverage.map { $0 / 100 })
  }

  func ladder() throws -> Int? {
    guard let months = ladderMonths else { return nil }
    guard (2...36).contains(months) else { throw ValidationError("--ladder-months: expected 2 to 36, found \(months)") }
    return months
  }
}
