import Foundation

/// A Savings Plans price list file of the AWS Price List Bulk API (Compute Savings Plans or
/// EC2 Instance Savings Plans, one region: `savingsPlan/v1.0/aws/AWSComputeSavingsPlan/
/// <version>/<region>/index.json`), read into the plan rate of each instance-hour.
///
/// Shape read (AWS Billing User Guide, "Reading the service price list file for a Savings
/// Plan"): `version`, `publicationDate`, `regionCode`; `products` is an array of `{sku,
/// productFamily, attributes}` where `productFamily` is "ComputeSavingsPlans" or
/// "EC2InstanceSavingsPlans" and the attributes carry `purchaseOption` ("No Upfront",
/// "Partial Upfront", "All Upfront"), `purchaseTerm` ("1yr", "3yr") and, for EC2 Instance
/// plans, `instanceType` (the family, like "m5") and `regionCode`; `terms.savingsPlan` is an
/// array of `{sku, rates: [...]}` whose rates name the discounted usage
/// (`discountedServiceCode`, `discountedUsageType`, `discountedOperation`,
/// `discountedRegionCode`, `discountedInstanceType`) and its `discountedRate.price` in USD
/// per `unit` "Hrs".
///
/// **What is kept**: rates of EC2 usage (`discountedServiceCode` "AmazonEC2") for Linux/UNIX
/// without pre-installed software (`discountedOperation` exactly "RunInstances") on shared
/// tenancy (`discountedUsageType` `BoxUsage:<type>`, with or without a region prefix like
/// `USE2-`), in `regions` when given. Fargate, Lambda, SageMaker, other operating systems,
/// dedicated and host usage are skipped.
public struct SavingsPlansOfferFile: Sendable {
  /// One plan rate: what an instance-hour of `instanceType` in `region` costs under a plan
  /// of this type, term and payment.
  public struct Rate: Sendable, Equatable {
    public var planType: SavingsPlanType
    public var region: String
    public var instanceType: String
    public var term: CommitmentTerm
    public var payment: PaymentOption
    public var usdPerHour: Double
  }

  public var fileName: String
  public var version: String
  public var publicationDate: String
  /// `regionCode` of the file; nil when the file has none.
  public var regionCode: String?
  /// Kept rates sorted by plan type, region, instance type, term, payment.
  public var rates: [Rate]
  /// What was read but not kept, with counts.
  public var skipped: [String]

  public static func load(path: String, regions: Set<String> = []) throws -> SavingsPlansOfferFile {
    try SavingsPlansOfferFile(data: OfferFileDecoding.readData(path: path), fileName: path, regions: regions)
  }

  /// - Throws: `BillingError.malformedOfferFile` at the JSON path of the first problem,
  ///   including one plan with two different rates for the same usage.
  public init(data: Data, fileName: String, regions: Set<String> = []) throws {
    let raw = try OfferFileDecoding.decode(
      Document.self, from: data, fileName: fileName, what: "an AWS Price List Savings Plans file")
    self.fileName = fileName
    version = raw.version
    publicationDate = raw.publicationDate
    regionCode = raw.regionCode
    func fail(_ path: String, _ expected: String, _ found: String) -> BillingError {
      .malformedOfferFile(file: fileName, path: path, expected: expected, found: found)
    }
    var skippedCounts: [String: Int] = [:]
    var planBySKU: [String: (SavingsPlanType, CommitmentTerm, PaymentOption)] = [:]
    for (index, product) in raw.products.enumerated() {
      let at = "products[\(index)]"
      let type: SavingsPlanType
      switch product.productFamily {
      case "ComputeSavingsPlans": type = .compute
      case "EC2InstanceSavingsPlans": type = .ec2Instance
      default:
        skippedCounts["products of other plan families", default: 0] += 1
        continue
      }
      let payments: [String: PaymentOption] = [
        "No Upfront": .noUpfront, "Partial Upfront": .partialUpfront, "All Upfront": .allUpfront,
      ]
      let terms: [String: CommitmentTerm] = ["1yr": .oneYear, "3yr": .threeYears]
      guard let payment = payments[product.attributes.purchaseOption ?? ""] else {
        throw fail(
          "\(at).attributes.purchaseOption", "\"No Upfront\", \"Partial Upfront\" or \"All Upfront\"",
          product.attributes.purchaseOption.map { "\"\(OfferFileDecoding.clip($0))\"" } ?? "no such member")
      }
      guard let term = terms[product.attributes.purchaseTerm ?? ""] else {
        throw fail(
          "\(at).attributes.purchaseTerm", "\"1yr\" or \"3yr\"",
          product.attributes.purchaseTerm.map { "\"\(OfferFileDecoding.clip($0))\"" } ?? "no such member")
      }
      if planBySKU.updateValue((type, term, payment), forKey: product.sku) != nil {
        throw fail("\(at).sku", "each product SKU once", "\"\(OfferFileDecoding.clip(product.sku))\" again")
      }
    }
    var rateByKey: [RateKey: (Double, String)] = [:]
    for (termIndex, plan) in raw.terms.savingsPlan.enumerated() {
      guard let (type, term, payment) = planBySKU[plan.sku] else {
        skippedCounts["terms of products not kept or not listed", default: 0] += 1
        continue
      }
      for (rateIndex, rate) in plan.rates.enumerated() {
        let at = "terms.savingsPlan[\(termIndex)].rates[\(rateIndex)]"
        guard rate.discountedServiceCode ?? "AmazonEC2" == "AmazonEC2", rate.discountedOperation == "RunInstances",
          Self.isSharedBoxUsage(rate.discountedUsageType)
        else {
          skippedCounts["rates of other usage (not EC2 Linux shared tenancy)", default: 0] += 1
          continue
        }
        guard let region = rate.discountedRegionCode, !region.isEmpty else {
          throw fail("\(at).discountedRegionCode", "the region of the discounted usage", "no such member")
        }
        guard regions.isEmpty || regions.contains(region) else { continue }
        let instanceType =
          rate.discountedInstanceType
          ?? String(rate.discountedUsageType[rate.discountedUsageType.range(of: "BoxUsage:")!.upperBound...])
        guard rate.unit == "Hrs" else {
          throw fail("\(at).unit", "\"Hrs\" for EC2 instance usage", "\"\(OfferFileDecoding.clip(rate.unit))\"")
        }
        guard rate.discountedRate.currency == "USD" else {
          throw fail(
            "\(at).discountedRate.currency", "\"USD\"", "\"\(OfferFileDecoding.clip(rate.discountedRate.currency))\"")
        }
        let price = try OfferFileDecoding.price(rate.discountedRate.price, fileName: fileName, path: "\(at).discountedRate.price")
        let key = RateKey(planType: type, region: region, instanceType: instanceType, term: term, payment: payment)
        if let (other, otherPath) = rateByKey[key], other != price {
          throw fail(
            "\(at).discountedRate.price", "one rate per plan and usage (\(instanceType) in \(region))",
            "\(price) here and \(other) at \(otherPath)")
        }
        rateByKey[key] = (price, "\(at).discountedRate.price")
      }
    }
    rates = rateByKey.map {
      Rate(
        planType: $0.key.planType, region: $0.key.region, instanceType: $0.key.instanceType, term: $0.key.term,
        payment: $0.key.payment, usdPerHour: $0.value.0)
    }.sorted { RateKey($0) < RateKey($1) }
    skipped = skippedCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
  }

  /// `BoxUsage:m5.large` or `USE2-BoxUsage:m5.large`: shared-tenancy instance hours.
  static func isSharedBoxUsage(_ usageType: String) -> Bool {
    guard let range = usageType.range(of: "BoxUsage:") else { return false }
    let prefix = usageType[..<range.lowerBound]
    return (prefix.isEmpty || (prefix.hasSuffix("-") && !prefix.dropLast().contains("-")))
      && range.upperBound < usageType.endIndex
  }

  struct RateKey: Hashable, Comparable {
    var planType: SavingsPlanType
    var region: String
    var instanceType: String
    var term: CommitmentTerm
    var payment: PaymentOption

    init(planType: SavingsPlanType, region: String, instanceType: String, term: CommitmentTerm, payment: PaymentOption) {
      self.planType = planType
      self.region = region
      self.instanceType = instanceType
      self.term = term
      self.payment = payment
    }

    init(_ rate: Rate) {
      self.init(
        planType: rate.planType, region: rate.region, instanceType: rate.instanceType, term: rate.term,
        payment: rate.payment)
    }

    static func < (a: RateKey, b: RateKey) -> Bool {
      (a.planType.rawValue, a.region, a.instanceType, a.term.rawValue, a.payment.rawValue)
        < (b.planType.rawValue, b.region, b.instanceType, b.term.rawValue, b.payment.rawValue)
    }
  }

  // MARK: - The decoded shape (only what capsim reads)

  struct Document: Decodable {
    var version: String
    var publicationDate: String
    var regionCode: String?
    var products: [Product]
    var terms: Terms
  }

  struct Product: Decodable {
    var sku: String
    var productFamily: String?
    var attributes: Attributes
  }

  struct Attributes: Decodable {
    var purchaseOption: String?
    var purchaseTerm: String?
  }

  struct Terms: Decodable {
    var savingsPlan: [Plan]
  }

  struct Plan: Decodable {
    var sku: String
    var rates: [PlanRate]
  }

  struct PlanRate: Decodable {
    var discountedServiceCode: String?
    var discountedUsageType: String
    var discountedOperation: String
    var discountedRegionCode: String?
    var discountedInstanceType: String?
    var unit: String
    var discountedRate: DiscountedRate
  }

  struct DiscountedRate: Decodable {
    var price: String
    var currency: String
  }
}
